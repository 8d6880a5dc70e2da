#include <gtest/gtest.h>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::expect_near;
using mtest::run1;
using test::make_f32;
using test::values_f32;

constexpr float kPi = 3.14159265358979f;

TEST(Trigonometric, SinCosTan) {
  auto x = make_f32({3}, {0, kPi / 2, kPi / 4});
  expect_near(values_f32(run1("Sin", {x})), {0, 1, 0.70710678f});
  expect_near(values_f32(run1("Cos", {x})), {1, 0, 0.70710678f});
  expect_near(values_f32(run1("Tan", {make_f32({2}, {0, kPi / 4})})), {0, 1});
}

TEST(Trigonometric, InversesAndOutOfDomainNaN) {
  auto x = make_f32({3}, {0, 1, 2});
  expect_near(values_f32(run1("Asin", {x})), {0, kPi / 2, NAN});
  expect_near(values_f32(run1("Acos", {x})), {kPi / 2, 0, NAN});
  expect_near(values_f32(run1("Atan", {x})), {0, kPi / 4, 1.10714872f});
}

TEST(Trigonometric, Hyperbolic) {
  auto x = make_f32({2}, {0, 1});
  expect_near(values_f32(run1("Sinh", {x})), {0, 1.17520119f});
  expect_near(values_f32(run1("Cosh", {x})), {1, 1.54308063f});
  expect_near(values_f32(run1("Asinh", {x})), {0, 0.88137359f});
  expect_near(values_f32(run1("Acosh", {make_f32({2}, {1, 2})})), {0, 1.31695790f});
  expect_near(values_f32(run1("Atanh", {make_f32({3}, {0, 0.5f, 1})})), {0, 0.54930614f, INFINITY});
}

TEST(Trigonometric, Float16AndFloat64) {
  auto h = run1("Cos", {test::make<float16>({2}, {float16(0.f), float16(kPi)})});
  EXPECT_EQ(h.dtype(), DType::kFloat16);
  expect_near(values_f32(h), {1, -1}, 1e-3f);
  auto d = run1("Sin", {test::make<double>({1}, {1.0})});
  EXPECT_DOUBLE_EQ(d.data<double>()[0], 0.8414709848078965);
}

TEST(Trigonometric, IntegerInputIsAnError) {
  mtest::expect_error(test::run_node("Sin", {test::make_i64({1}, {1})}), "expected");
}

TEST(Trigonometric, HyperbolicNeedsOpset9) {
  EXPECT_FALSE(test::run_node("Sinh", {make_f32({1}, {1})}, {}, 1, 8).is_ok());
  EXPECT_TRUE(test::run_node("Sin", {make_f32({1}, {1})}, {}, 1, 7).is_ok());
}

TEST(Trigonometric, SymbolicInference) {
  ValueType in{DType::kFloat32, true, {Dim::symbolic("N"), Dim(3)}};
  auto out = mtest::infer_types("Atan", 17, {in});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float32[N,3]");
}

}  // namespace
}  // namespace ew
