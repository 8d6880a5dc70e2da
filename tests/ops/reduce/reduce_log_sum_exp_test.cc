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

TEST(ReduceLogSumExp, StableForLargeInputs) {
  auto out = run_node("ReduceLogSumExp", {make_f32({2, 2}, {0, 0, 1000, 1000})},
                      {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  auto v = values_f32((*out)[0]);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_NEAR(v[0], 0.6931472f, 1e-6);     // log 2
  EXPECT_NEAR(v[1], 1000.6931472f, 1e-3);  // 1000 + log 2, exp(1000) would overflow
}

TEST(ReduceLogSumExp, MixedValues) {
  // log(e^1 + e^2 + e^3) = 3 + log(1 + e^-1 + e^-2) = 3.4076059
  auto out = run_node("ReduceLogSumExp", {make_f32({3}, {2, 1, 3})}, {}, 1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_NEAR(values_f32((*out)[0])[0], 3.4076059f, 1e-5);
}

TEST(ReduceLogSumExp, InfinitiesAndEmptySet) {
  auto inf = run_node("ReduceLogSumExp", {make_f32({2}, {-INFINITY, -INFINITY})}, {}, 1, 13);
  ASSERT_TRUE(inf.is_ok()) << inf.status().to_string();
  EXPECT_EQ(values_f32((*inf)[0]), (std::vector<float>{-INFINITY}));
  auto empty = run_node("ReduceLogSumExp", {make_f32({0}, {})}, {}, 1, 13);
  ASSERT_TRUE(empty.is_ok()) << empty.status().to_string();
  EXPECT_EQ(values_f32((*empty)[0]), (std::vector<float>{-INFINITY}));
}

TEST(ReduceLogSumExp, AxesInputAtOpset13IsAnError) {
  EXPECT_FALSE(run_node("ReduceLogSumExp", {make_f32({2}, {1, 2}), make_i64({1}, {0})}, {}, 1, 13).is_ok());
}

}  // namespace
}  // namespace ew
