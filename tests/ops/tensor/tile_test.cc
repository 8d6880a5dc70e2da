#include <gtest/gtest.h>

#include "test_util.h"

namespace ew {
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(Tile, RepeatsEachDim) {
  auto out = run_node("Tile", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({2}, {2, 3})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{4, 6}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                                         1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
}

TEST(Tile, ZeroRepeatGivesEmpty) {
  auto out = run_node("Tile", {make_f32({2}, {1, 2}), make_i64({1}, {0})});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{0}));
}

TEST(Tile, BadRepeats) {
  EXPECT_FALSE(run_node("Tile", {make_f32({2}, {1, 2}), make_i64({2}, {1, 1})}).is_ok());
  EXPECT_FALSE(run_node("Tile", {make_f32({2}, {1, 2}), make_i64({1}, {-1})}).is_ok());
}

}  // namespace ew
