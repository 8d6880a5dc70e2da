#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(Expand, BroadcastsColumnAndAddsDims) {
  auto out = run_node("Expand", {make_f32({2, 1}, {1, 2}), make_i64({3}, {2, 1, 3})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
}

TEST(Expand, ShapeSmallerThanInputKeepsInput) {
  auto out = run_node("Expand", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({1}, {1})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
}

TEST(Expand, IncompatibleShapeIsAnError) {
  EXPECT_FALSE(run_node("Expand", {make_f32({3}, {1, 2, 3}), make_i64({1}, {2})}).is_ok());
  EXPECT_FALSE(run_node("Expand", {make_f32({3}, {1, 2, 3}), make_i64({2}, {-1, 3})}).is_ok());
}

}  // namespace ew
