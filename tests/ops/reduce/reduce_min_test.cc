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

TEST(ReduceMin, RowsAndColumns) {
  Tensor x = make_f32({2, 3}, {1, 5, 3, -2, -7, -1});
  auto rows = run_node("ReduceMin", {x}, {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(values_f32((*rows)[0]), (std::vector<float>{1, -7}));
  auto cols = run_node("ReduceMin", {x, make_i64({1}, {0})}, {}, 1, 18);
  ASSERT_TRUE(cols.is_ok()) << cols.status().to_string();
  EXPECT_EQ(values_f32((*cols)[0]), (std::vector<float>{-2, -7, -1}));
}

TEST(ReduceMin, NaNPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = run_node("ReduceMin", {make_f32({3}, {1, nan, -3})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_TRUE(std::isnan((*out)[0].data<float>()[0]));
}

TEST(ReduceMin, EmptySetIsHighest) {
  auto f = run_node("ReduceMin", {make_f32({0, 2}, {})}, {{"axes", attr_ints({0})}}, 1, 13);
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(values_f32((*f)[0]), (std::vector<float>{INFINITY, INFINITY}));
  auto u = run_node("ReduceMin", {make<uint8_t>({0}, {})}, {}, 1, 18);
  ASSERT_TRUE(u.is_ok()) << u.status().to_string();
  EXPECT_EQ((*u)[0].data<uint8_t>()[0], uint8_t{255});
}

TEST(ReduceMin, IntegersAndBool) {
  auto i = run_node("ReduceMin", {make<int64_t>({3}, {4, -9, 2})}, {}, 1, 13);
  ASSERT_TRUE(i.is_ok()) << i.status().to_string();
  EXPECT_EQ(test::values_i64((*i)[0]), (std::vector<int64_t>{-9}));
  auto b = run_node("ReduceMin", {make<bool>({2, 2}, {true, true, true, false}), make_i64({1}, {1})}, {}, 1, 20);
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_EQ(test::values_i64((*b)[0]), (std::vector<int64_t>{1, 0}));
}

TEST(ReduceMin, AxesMustBeIntegers) {
  auto out = run_node("ReduceMin", {make_f32({2}, {1, 2}), make_f32({1}, {0})}, {}, 1, 18);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("axes"), std::string::npos);
}

}  // namespace
}  // namespace ew
