#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_f;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(ParametricActivation, HardSigmoidDefaultsAndAttributes) {
  auto out = run_ok("HardSigmoid", {make_f32({4}, {-3, 0, 1, 3})});
  expect_near(values_f32(out[0]), {0.0f, 0.5f, 0.7f, 1.0f});
  out = run_ok("HardSigmoid", {make_f32({2}, {1, -1})}, {{"alpha", attr_f(0.5f)}, {"beta", attr_f(0.25f)}});
  expect_near(values_f32(out[0]), {0.75f, 0.0f});
}

TEST(ParametricActivation, EluWithAlpha) {
  auto out = run_ok("Elu", {make_f32({3}, {-1, 0, 2})}, {{"alpha", attr_f(2.0f)}});
  expect_near(values_f32(out[0]), {-1.26424112f, 0.0f, 2.0f});
}

TEST(ParametricActivation, SeluDefaults) {
  auto out = run_ok("Selu", {make_f32({3}, {-1, 0, 2})});
  expect_near(values_f32(out[0]), {-1.11133074f, 0.0f, 2.10140204f});
}

TEST(ParametricActivation, CeluAndZeroAlphaError) {
  auto out = run_ok("Celu", {make_f32({3}, {-2, 0, 3})}, {{"alpha", attr_f(2.0f)}});
  expect_near(values_f32(out[0]), {-1.26424112f, 0.0f, 3.0f});
  atest::expect_error(test::run_node("Celu", {make_f32({1}, {1})}, {{"alpha", attr_f(0.0f)}}), "alpha");
}

TEST(ParametricActivation, LeakyReluDefaultAlpha) {
  auto out = run_ok("LeakyRelu", {make_f32({2}, {-10, 5})});
  expect_near(values_f32(out[0]), {-0.1f, 5.0f});
}

TEST(ParametricActivation, ThresholdedReluIsStrict) {
  auto out = run_ok("ThresholdedRelu", {make_f32({3}, {1, 2, 3})}, {{"alpha", attr_f(2.0f)}});
  expect_near(values_f32(out[0]), {0.0f, 0.0f, 3.0f});
  EXPECT_FALSE(test::run_node("ThresholdedRelu", {make_f32({1}, {1})}, {}, 1, 9).is_ok());
}

TEST(ParametricActivation, Float64) {
  auto out = run_ok("LeakyRelu", {test::make<double>({2}, {-2.0, 1.0})}, {{"alpha", attr_f(0.5f)}});
  ASSERT_EQ(out[0].dtype(), DType::kFloat64);
  EXPECT_EQ(out[0].data<double>()[0], -1.0);
}

TEST(ParametricActivation, BoolInputIsAnError) {
  atest::expect_error(test::run_node("Elu", {test::make<bool>({1}, {true})}), "float");
}

}  // namespace ew
