#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_i64;
using test::run_node;

TEST(ConstantOfShape, DefaultFloatZero) {
  auto out = run_node("ConstantOfShape", {make_i64({2}, {2, 3})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].dtype(), DType::kFloat32);
  EXPECT_EQ(test::values_f32((*out)[0]), std::vector<float>(6, 0.0f));
}

TEST(ConstantOfShape, IntValueAndEmptyShape) {
  auto out = run_node("ConstantOfShape", {make_i64({1}, {3})}, {{"value", Attribute::make_tensor(make_i64({1}, {7}))}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].dtype(), DType::kInt64);
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{7, 7, 7}));
  auto scalar = run_node("ConstantOfShape", {make_i64({0}, {})});
  ASSERT_TRUE(scalar.is_ok()) << scalar.status().to_string();
  EXPECT_EQ((*scalar)[0].shape(), Shape{});
}

TEST(ConstantOfShape, Errors) {
  EXPECT_FALSE(run_node("ConstantOfShape", {make_i64({1}, {-1})}).is_ok());
  EXPECT_FALSE(run_node("ConstantOfShape", {make_i64({1}, {2})},
                        {{"value", Attribute::make_tensor(make_i64({2}, {1, 2}))}}).is_ok());
}

}  // namespace ew
