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

TEST(ReduceMax, RowsAndColumns) {
  Tensor x = make_f32({2, 3}, {1, 5, 3, -2, -7, -1});
  auto rows = run_node("ReduceMax", {x}, {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  EXPECT_EQ(values_f32((*rows)[0]), (std::vector<float>{5, -1}));
  auto cols = run_node("ReduceMax", {x, make_i64({1}, {0})}, {}, 1, 18);
  ASSERT_TRUE(cols.is_ok()) << cols.status().to_string();
  EXPECT_EQ((*cols)[0].shape(), (Shape{1, 3}));
  EXPECT_EQ(values_f32((*cols)[0]), (std::vector<float>{1, 5, 3}));
}

TEST(ReduceMax, NaNPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = run_node("ReduceMax", {make_f32({3}, {1, nan, 3})}, {}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_TRUE(std::isnan((*out)[0].data<float>()[0]));
}

TEST(ReduceMax, EmptySetIsLowest) {
  auto f = run_node("ReduceMax", {make_f32({2, 0}, {}), make_i64({1}, {1})}, {{"keepdims", attr_i(0)}}, 1, 18);
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(values_f32((*f)[0]), (std::vector<float>{-INFINITY, -INFINITY}));
  auto i = run_node("ReduceMax", {make<int32_t>({0}, {})}, {}, 1, 13);
  ASSERT_TRUE(i.is_ok()) << i.status().to_string();
  EXPECT_EQ((*i)[0].data<int32_t>()[0], std::numeric_limits<int32_t>::min());
}

TEST(ReduceMax, BoolAtOpset20) {
  auto out = run_node("ReduceMax", {make<bool>({2, 2}, {true, false, false, false}), make_i64({1}, {1})},
                      {{"keepdims", attr_i(0)}}, 1, 20);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(test::values_i64((*out)[0]), (std::vector<int64_t>{1, 0}));
}

TEST(ReduceMax, AxisOutOfRangeIsAnError) {
  auto out = run_node("ReduceMax", {make_f32({2}, {1, 2})}, {{"axes", attr_ints({1})}}, 1, 13);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("out of range"), std::string::npos);
}

}  // namespace
}  // namespace ew
