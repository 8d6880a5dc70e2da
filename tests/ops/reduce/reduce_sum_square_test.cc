#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "reduce_test_util.h"
#include "test_util.h"

namespace ew {
namespace {
using test::attr_i;
using test::attr_ints;
using test::make;
using test::make_f32;
using test::make_i64;
using test::run_node;
using test::values_f32;

TEST(ReduceSumSquare, SumsSquares) {
  auto out = run_node("ReduceSumSquare", {make_f32({2, 2}, {1, -2, 3, 4})}, {{"axes", attr_ints({1})}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 25}));
}

TEST(ReduceSumSquare, NoopSquaresElementwise) {
  auto out = run_node("ReduceSumSquare", {make_f32({2, 2}, {1, -2, 3, 4})}, {{"noop_with_empty_axes", attr_i(1)}},
                      1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 4, 9, 16}));
}

TEST(ReduceSumSquare, IntegersAndEmptySet) {
  auto i = run_node("ReduceSumSquare", {make_i64({3}, {-1, 2, -3})}, {}, 1, 18);
  ASSERT_TRUE(i.is_ok()) << i.status().to_string();
  EXPECT_EQ(test::values_i64((*i)[0]), (std::vector<int64_t>{14}));
  auto e = run_node("ReduceSumSquare", {make_f32({0}, {})}, {}, 1, 18);
  ASSERT_TRUE(e.is_ok()) << e.status().to_string();
  EXPECT_EQ(values_f32((*e)[0]), (std::vector<float>{0}));
}

TEST(ReduceSumSquare, AxisOutOfRangeIsAnError) {
  EXPECT_FALSE(run_node("ReduceSumSquare", {make_f32({2}, {1, 2})}, {{"axes", attr_ints({-2})}}, 1, 13).is_ok());
}

}  // namespace
}  // namespace ew
