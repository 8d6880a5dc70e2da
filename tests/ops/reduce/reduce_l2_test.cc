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

TEST(ReduceL2, EuclideanNorm) {
  auto out = run_node("ReduceL2", {make_f32({2, 2}, {3, 4, 6, -8})}, {{"axes", attr_ints({1})}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{5, 10}));
}

TEST(ReduceL2, IntegersAndEmptySet) {
  auto i = run_node("ReduceL2", {make<int32_t>({2}, {3, -4})}, {{"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(i.is_ok()) << i.status().to_string();
  EXPECT_EQ(test::values_i64((*i)[0]), (std::vector<int64_t>{5}));
  auto e = run_node("ReduceL2", {make_f32({0, 3}, {}), make_i64({1}, {0})}, {{"keepdims", attr_i(0)}}, 1, 18);
  ASSERT_TRUE(e.is_ok()) << e.status().to_string();
  EXPECT_EQ(values_f32((*e)[0]), (std::vector<float>{0, 0, 0}));
}

TEST(ReduceL2, AxisOutOfRangeIsAnError) {
  auto out = run_node("ReduceL2", {make_f32({2, 2}, {1, 2, 3, 4}), make_i64({1}, {-3})}, {}, 1, 18);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("out of range"), std::string::npos);
}

}  // namespace
}  // namespace ew
