#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;

TEST(Unsqueeze, InputAxesFromOpset13) {
  auto out = run_node("Unsqueeze", {make_f32({3}, {1, 2, 3}), make_i64({2}, {-1, 0})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 3, 1}));
}

TEST(Unsqueeze, AttributeAxesBeforeOpset13) {
  auto out = run_node("Unsqueeze", {make_f32({2, 2}, {1, 2, 3, 4})}, {{"axes", Attribute::make_ints({1})}}, 1, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(test::values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 4}));
}

TEST(Unsqueeze, BadAxes) {
  auto x = make_f32({3}, {1, 2, 3});
  EXPECT_FALSE(run_node("Unsqueeze", {x, make_i64({1}, {2})}).is_ok());
  EXPECT_FALSE(run_node("Unsqueeze", {x, make_i64({2}, {0, 0})}).is_ok());
  EXPECT_FALSE(run_node("Unsqueeze", {x}, {}, 1, 13).is_ok());
}

}  // namespace ew
