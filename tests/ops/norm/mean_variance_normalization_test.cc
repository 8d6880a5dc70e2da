#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_ints;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(MeanVarianceNormalization, DefaultAxes023) {
  auto out = run_ok("MeanVarianceNormalization", {make_f32({1, 1, 1, 4}, {1, 2, 3, 4})});
  expect_near(values_f32(out[0]), {-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f});
}

TEST(MeanVarianceNormalization, CustomAxesAndConstantGroup) {
  auto out = run_ok("MeanVarianceNormalization", {make_f32({2, 2}, {1, 3, 5, 5})}, {{"axes", attr_ints({1})}});
  expect_near(values_f32(out[0]), {-1, 1, 0, 0});
}

TEST(MeanVarianceNormalization, AxisOutOfRangeIsAnError) {
  atest::expect_error(test::run_node("MeanVarianceNormalization", {make_f32({1, 1, 1, 1}, {1})},
                                     {{"axes", attr_ints({0, 4})}}),
                      "out of range");
}

}  // namespace ew
