#include <gtest/gtest.h>

#include "ops/tensor/static_infer.h"
#include "test_util.h"

namespace ew {
using test::make_f32;
using test::run_node;
using test::values_i64;

TEST(Shape, AllDims) {
  auto out = run_node("Shape", {make_f32({2, 3, 4}, std::vector<float>(24, 0.0f))});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{2, 3, 4}));
}

TEST(Shape, StartEndFromOpset15) {
  auto x = make_f32({2, 3, 4}, std::vector<float>(24, 0.0f));
  auto out = run_node("Shape", {x}, {{"start", Attribute::make_int(-2)}, {"end", Attribute::make_int(10)}}, 1, 15);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{3, 4}));
  // Before opset 15 start/end do not exist: the whole shape.
  auto old = run_node("Shape", {x}, {{"start", Attribute::make_int(1)}}, 1, 13);
  ASSERT_TRUE(old.is_ok());
  EXPECT_EQ(values_i64((*old)[0]), (std::vector<int64_t>{2, 3, 4}));
  auto empty = run_node("Shape", {x}, {{"start", Attribute::make_int(2)}, {"end", Attribute::make_int(1)}}, 1, 15);
  ASSERT_TRUE(empty.is_ok());
  EXPECT_EQ((*empty)[0].shape(), (Shape{0}));
}

TEST(Shape, FoldsIntoReshapeAtLoadTime) {
  // x: [N, 3, 4]. Shape(x, start=1) = [3, 4] is known although N is not, so
  // target = Concat([-1], [3, 4]) folds to a constant and Reshape fixes dims 1, 2.
  test::StaticGraph g;
  g.input("x", DType::kFloat32, {Dim::symbolic("N"), 3, 4})
      .constant("minus1", test::make_i64({1}, {-1}))
      .node("Shape", {"x"}, {"s"}, {{"start", Attribute::make_int(1)}})
      .node("Concat", {"minus1", "s"}, {"target"}, {{"axis", Attribute::make_int(0)}})
      .node("Reshape", {"x", "target"}, {"y"});
  EXPECT_EQ(g.type_of("target"), "int64[3]");
  EXPECT_EQ(g.type_of("y"), "float32[?,3,4]");
}

TEST(Shape, UnknownDimDoesNotFold) {
  test::StaticGraph g;
  g.input("x", DType::kFloat32, {Dim::symbolic("N"), 3})
      .node("Shape", {"x"}, {"s"})
      .node("Reshape", {"x", "s"}, {"y"});
  EXPECT_EQ(g.type_of("y"), "float32[?,?]");
}

}  // namespace ew
