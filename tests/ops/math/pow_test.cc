#include <gtest/gtest.h>

#include <cstdint>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::expect_near;
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(Pow, FloatBroadcastScalarExponent) {
  auto y = run1("Pow", {make_f32({2, 2}, {1, 2, 3, 4}), make_f32({}, {2})});
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  expect_near(values_f32(y), {1, 4, 9, 16});
  expect_near(values_f32(run1("Pow", {make_f32({2}, {4, -8}), make_f32({2}, {0.5f, 1.f / 3})})), {2, NAN});
}

TEST(Pow, MixedTypesFromOpset12) {
  auto f_i = run1("Pow", {make_f32({3}, {2, 3, 0.5f}), make<int64_t>({3}, {3, -1, 2})});
  EXPECT_EQ(f_i.dtype(), DType::kFloat32);
  expect_near(values_f32(f_i), {8, 1.f / 3, 0.25f});
  auto i_f = run1("Pow", {make<int32_t>({3}, {2, 3, 4}), make_f32({3}, {3, 0.5f, -1})});
  EXPECT_EQ(i_f.dtype(), DType::kInt32);
  EXPECT_EQ(values<int32_t>(i_f), (std::vector<int32_t>{8, 1, 0}));  // 3^0.5 = 1.73 truncates
  auto u = run1("Pow", {make<int64_t>({2}, {3, -2}), make<uint8_t>({2}, {4, 3})});
  EXPECT_EQ(values<int64_t>(u), (std::vector<int64_t>{81, -8}));
}

TEST(Pow, IntegerPowerIsExactAndWraps) {
  auto y = run1("Pow", {make<int64_t>({4}, {3, 2, -1, 5}), make<int64_t>({4}, {39, 64, -3, -2})});
  EXPECT_EQ(values<int64_t>(y), (std::vector<int64_t>{4052555153018976267, 0, -1, 0}));
}

TEST(Pow, MixedTypesRejectedBeforeOpset12) {
  mtest::expect_error(test::run_node("Pow", {make_f32({1}, {2}), make<int64_t>({1}, {2})}, {}, 1, 11), "differ");
  EXPECT_TRUE(test::run_node("Pow", {make_f32({1}, {2}), make_f32({1}, {2})}, {}, 1, 7).is_ok());
}

TEST(Pow, BadBaseTypeAndShapesAreErrors) {
  mtest::expect_error(test::run_node("Pow", {make<uint8_t>({1}, {2}), make<uint8_t>({1}, {2})}), "expected");
  mtest::expect_error(test::run_node("Pow", {make_f32({2}, {1, 2}), make_f32({3}, {1, 2, 3})}), "broadcast");
}

}  // namespace
}  // namespace ew
