#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;

TEST(Squeeze, AllOnesWithoutAxes) {
  auto out = run_node("Squeeze", {make_f32({1, 3, 1}, {1, 2, 3})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{3}));
}

TEST(Squeeze, AxesAttributeBeforeOpset13InputAfter) {
  auto x = make_f32({1, 3, 1}, {1, 2, 3});
  auto a = run_node("Squeeze", {x}, {{"axes", Attribute::make_ints({-1})}}, 1, 11);
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ((*a)[0].shape(), (Shape{1, 3}));
  auto b = run_node("Squeeze", {x, make_i64({1}, {0})}, {}, 1, 13);
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_EQ((*b)[0].shape(), (Shape{3, 1}));
}

TEST(Squeeze, NonUnitAxisIsAnError) {
  EXPECT_FALSE(run_node("Squeeze", {make_f32({1, 3}, {1, 2, 3}), make_i64({1}, {1})}).is_ok());
  EXPECT_FALSE(run_node("Squeeze", {make_f32({1, 3}, {1, 2, 3}), make_i64({1}, {2})}).is_ok());
}

}  // namespace ew
