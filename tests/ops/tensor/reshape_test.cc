#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(Reshape, MinusOneAndZeroCopy) {
  auto x = make_f32({2, 3, 4}, std::vector<float>(24, 1.0f));
  auto out = run_node("Reshape", {x, make_i64({3}, {0, -1, 2})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 6, 2}));
}

TEST(Reshape, KeepsValuesInRowMajorOrder) {
  auto out = run_node("Reshape", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({1}, {4})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 4}));
}

TEST(Reshape, AllowZeroKeepsLiteralZero) {
  auto x = make_f32({0, 3}, {});
  auto out = run_node("Reshape", {x, make_i64({2}, {3, 0})}, {{"allowzero", Attribute::make_int(1)}}, 1, 14);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{3, 0}));
  // Without allowzero the 0 copies dim 1 (3): 0 elements cannot fill [3, 3].
  EXPECT_FALSE(run_node("Reshape", {x, make_i64({2}, {3, 0})}, {}, 1, 14).is_ok());
}

TEST(Reshape, Errors) {
  auto x = make_f32({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_FALSE(run_node("Reshape", {x, make_i64({2}, {-1, -1})}).is_ok());
  EXPECT_FALSE(run_node("Reshape", {x, make_i64({2}, {4, -1})}).is_ok());
  EXPECT_FALSE(run_node("Reshape", {x, make_i64({1}, {5})}).is_ok());
  EXPECT_FALSE(run_node("Reshape", {x, make_i64({2}, {-2, 3})}).is_ok());
}

}  // namespace ew
