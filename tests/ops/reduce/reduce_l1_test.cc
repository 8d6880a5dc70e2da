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

TEST(ReduceL1, SumsAbsoluteValues) {
  Tensor x = make_f32({2, 2}, {1, -2, -3, 4});
  auto rows = run_node("ReduceL1", {x}, {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(values_f32((*rows)[0]), (std::vector<float>{3, 7}));
  auto all = run_node("ReduceL1", {x}, {}, 1, 18);
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  EXPECT_EQ((*all)[0].shape(), (Shape{1, 1}));
  EXPECT_EQ(values_f32((*all)[0]), (std::vector<float>{10}));
}

TEST(ReduceL1, Integers) {
  auto out = run_node("ReduceL1", {make_i64({2}, {-5, 3})}, {{"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{8}));
}

TEST(ReduceL1, NoopAppliesAbsElementwise) {
  auto out = run_node("ReduceL1", {make_f32({2, 2}, {1, -2, -3, 4}), make_i64({0}, {})},
                      {{"noop_with_empty_axes", attr_i(1)}}, 1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1, 2, 3, 4}));
}

TEST(ReduceL1, RepeatedAxisIsAnError) {
  EXPECT_FALSE(run_node("ReduceL1", {make_f32({2, 2}, {1, 2, 3, 4})}, {{"axes", attr_ints({0, 0})}}, 1, 13).is_ok());
}

}  // namespace
}  // namespace ew
