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

TEST(ReduceLogSum, LogOfSum) {
  auto out = run_node("ReduceLogSum", {make_f32({2, 2}, {1, 2, 3, 4})}, {{"axes", attr_ints({1})}}, 1, 13);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  auto v = values_f32((*out)[0]);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_NEAR(v[0], 1.0986123f, 1e-6);  // log 3
  EXPECT_NEAR(v[1], 1.9459101f, 1e-6);  // log 7
}

TEST(ReduceLogSum, EmptySetIsMinusInfinity) {
  auto out = run_node("ReduceLogSum", {make<double>({2, 0}, {}), make_i64({1}, {1})}, {}, 1, 18);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].data<double>()[0], -INFINITY);
}

TEST(ReduceLogSum, BoolIsRejected) {
  auto out = run_node("ReduceLogSum", {make<bool>({1}, {true})}, {}, 1, 13);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("unsupported type"), std::string::npos);
}

}  // namespace
}  // namespace ew
