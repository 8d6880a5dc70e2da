#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::expect_near;
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(UnaryArithmetic, AbsNegSignFloat) {
  auto x = make_f32({4}, {-2.5f, 0, 3, -0.5f});
  EXPECT_EQ(values_f32(run1("Abs", {x})), (std::vector<float>{2.5f, 0, 3, 0.5f}));
  EXPECT_EQ(values_f32(run1("Neg", {x})), (std::vector<float>{2.5f, 0, -3, 0.5f}));
  EXPECT_EQ(values_f32(run1("Sign", {x})), (std::vector<float>{-1, 0, 1, -1}));
}

TEST(UnaryArithmetic, IntegerAbsNegWrapAtMinimum) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  auto x = make<int32_t>({3}, {kMin, -7, 7});
  EXPECT_EQ(values<int32_t>(run1("Abs", {x})), (std::vector<int32_t>{kMin, 7, 7}));
  EXPECT_EQ(values<int32_t>(run1("Neg", {x})), (std::vector<int32_t>{kMin, 7, -7}));
  EXPECT_EQ(values<int8_t>(run1("Sign", {make<int8_t>({3}, {-100, 0, 5})})), (std::vector<int8_t>{-1, 0, 1}));
  EXPECT_EQ(values<uint8_t>(run1("Abs", {make<uint8_t>({2}, {0, 255})})), (std::vector<uint8_t>{0, 255}));
}

TEST(UnaryArithmetic, SqrtExpLogReciprocal) {
  expect_near(values_f32(run1("Sqrt", {make_f32({3}, {4, 2, -1})})), {2, 1.41421356f, NAN});
  expect_near(values_f32(run1("Exp", {make_f32({2}, {0, 1})})), {1, 2.71828183f});
  expect_near(values_f32(run1("Log", {make_f32({3}, {1, 2.71828183f, 0})})), {0, 1, -INFINITY});
  expect_near(values_f32(run1("Reciprocal", {make_f32({3}, {4, -0.5f, 0})})), {0.25f, -2, INFINITY});
}

TEST(UnaryArithmetic, ErfFloatAndInteger) {
  expect_near(values_f32(run1("Erf", {make_f32({3}, {0, 1, -0.5f})})), {0, 0.84270079f, -0.52049988f});
  // erf of an integer is in (-1, 1) and truncates to 0 (or +-1 when it rounds to 1).
  EXPECT_EQ(values<int32_t>(run1("Erf", {make<int32_t>({3}, {0, 1, 10})})), (std::vector<int32_t>{0, 0, 1}));
}

TEST(UnaryArithmetic, BFloat16Neg) {
  auto y = run1("Neg", {make<bfloat16>({2}, {bfloat16(1.5f), bfloat16(-2.f)})});
  EXPECT_EQ(y.dtype(), DType::kBFloat16);
  EXPECT_EQ(values_f32(y), (std::vector<float>{-1.5f, 2}));
}

TEST(UnaryArithmetic, WrongTypesAreErrors) {
  mtest::expect_error(test::run_node("Sqrt", {test::make_i64({1}, {4})}), "expected");
  mtest::expect_error(test::run_node("Neg", {make<uint8_t>({1}, {4})}), "expected");
  mtest::expect_error(test::run_node("Abs", {make<bool>({1}, {true})}), "expected");
}

TEST(UnaryArithmetic, SymbolicInference) {
  ValueType in{DType::kInt64, true, {Dim::symbolic("B"), Dim()}};
  auto out = mtest::infer_types("Abs", 13, {in});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "int64[B,?]");
}

}  // namespace
}  // namespace ew
