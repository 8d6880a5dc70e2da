#include <gtest/gtest.h>

#include <cmath>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(Relu, ClampsNegativesAndKeepsNaN) {
  auto out = run_ok("Relu", {make_f32({4}, {-2, 0, 3, NAN})});
  auto v = values_f32(out[0]);
  EXPECT_EQ(v[0], 0.0f);
  EXPECT_EQ(v[1], 0.0f);
  EXPECT_EQ(v[2], 3.0f);
  EXPECT_TRUE(std::isnan(v[3]));
}

TEST(Relu, IntegersFromOpset14) {
  auto out = run_ok("Relu", {test::make<int32_t>({3}, {-5, 0, 7})}, {}, 1, 14);
  EXPECT_EQ(test::values_i64(out[0]), (std::vector<int64_t>{0, 0, 7}));
  atest::expect_error(test::run_node("Relu", {test::make<int32_t>({1}, {1})}, {}, 1, 13), "unsupported type");
  atest::expect_error(test::run_node("Relu", {test::make<uint8_t>({1}, {1})}, {}, 1, 14), "unsupported type");
}

}  // namespace ew
