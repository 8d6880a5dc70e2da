#include <gtest/gtest.h>

#include "ops/tensor/static_infer.h"
#include "test_util.h"

namespace ew {
using test::run_node;

TEST(Constant, ValueForms) {
  auto t = run_node("Constant", {}, {{"value", Attribute::make_tensor(test::make_f32({2}, {1.5f, 2.5f}))}});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(test::values_f32((*t)[0]), (std::vector<float>{1.5f, 2.5f}));
  auto f = run_node("Constant", {}, {{"value_float", Attribute::make_float(3)}});
  ASSERT_TRUE(f.is_ok());
  EXPECT_EQ((*f)[0].describe(), "float32[]");
  auto fs = run_node("Constant", {}, {{"value_floats", Attribute::make_floats({1, 2, 3})}});
  ASSERT_TRUE(fs.is_ok());
  EXPECT_EQ((*fs)[0].describe(), "float32[3]");
  auto i = run_node("Constant", {}, {{"value_int", Attribute::make_int(-4)}});
  ASSERT_TRUE(i.is_ok());
  EXPECT_EQ(test::values_i64((*i)[0]), (std::vector<int64_t>{-4}));
  auto is = run_node("Constant", {}, {{"value_ints", Attribute::make_ints({5, 6})}});
  ASSERT_TRUE(is.is_ok());
  EXPECT_EQ(test::values_i64((*is)[0]), (std::vector<int64_t>{5, 6}));
}

TEST(Constant, FoldsIntoDownstreamShapes) {
  test::StaticGraph g;
  g.input("x", DType::kFloat32, {Dim::symbolic("N"), 6})
      .node("Constant", {}, {"shape"}, {{"value_ints", Attribute::make_ints({0, 2, 3})}})
      .node("Reshape", {"x", "shape"}, {"y"});
  EXPECT_EQ(g.type_of("y"), "float32[N,2,3]");
}

TEST(Constant, NeedsExactlyOneValue) {
  EXPECT_FALSE(run_node("Constant", {}, {}).is_ok());
  EXPECT_FALSE(run_node("Constant", {}, {{"value_int", Attribute::make_int(1)}, {"value_float", Attribute::make_float(1)}}).is_ok());
  auto s = run_node("Constant", {}, {{"value_string", Attribute::make_string("hi")}});
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnsupported);
}

}  // namespace ew
