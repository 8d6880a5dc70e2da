#include <gtest/gtest.h>

#include "ops/tensor/static_infer.h"
#include "test_util.h"

namespace ew {

TEST(Size, CountsElements) {
  auto out = test::run_node("Size", {test::make_f32({2, 3}, std::vector<float>(6, 0.0f))});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), Shape{});
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{6}));
}

TEST(Size, FoldsWhenShapeKnown) {
  // Size(x) of a known shape is a constant, so ConstantOfShape([Size]) gets a static shape.
  test::StaticGraph g;
  g.input("x", DType::kFloat32, {4, 5})
      .constant("axes", test::make_i64({1}, {0}))
      .node("Size", {"x"}, {"n"})
      .node("Unsqueeze", {"n", "axes"}, {"n1"})
      .node("ConstantOfShape", {"n1"}, {"z"});
  EXPECT_EQ(g.type_of("z"), "float32[20]");
}

TEST(Size, MissingInputIsAnError) {
  EXPECT_FALSE(test::run_node("Size", {}).is_ok());
}

}  // namespace ew
