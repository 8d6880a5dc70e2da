#include <gtest/gtest.h>

#include <cstdint>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

TEST(VariadicElementwise, ThreeInputsBroadcast) {
  auto a = make_f32({2, 1}, {1, 5});
  auto b = make_f32({3}, {2, 4, 6});
  auto c = make_f32({}, {3});
  EXPECT_EQ(values_f32(run1("Max", {a, b, c})), (std::vector<float>{3, 4, 6, 5, 5, 6}));
  EXPECT_EQ(values_f32(run1("Min", {a, b, c})), (std::vector<float>{1, 1, 1, 2, 3, 3}));
  EXPECT_EQ(values_f32(run1("Sum", {a, b, c})), (std::vector<float>{6, 8, 10, 10, 12, 14}));
  auto mean = run1("Mean", {a, b, c});
  EXPECT_EQ(mean.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32(mean), (std::vector<float>{2, 8.f / 3, 10.f / 3, 10.f / 3, 4, 14.f / 3}));
}

TEST(VariadicElementwise, OneInputIsACopy) {
  auto y = run1("Sum", {make_f32({2}, {1, -2})});
  EXPECT_EQ(values_f32(y), (std::vector<float>{1, -2}));
}

TEST(VariadicElementwise, IntegerMinMaxAndNaN) {
  auto y = run1("Max", {make<uint64_t>({2}, {1, 18446744073709551615ull}), make<uint64_t>({2}, {2, 3})});
  EXPECT_EQ(values<uint64_t>(y), (std::vector<uint64_t>{2, 18446744073709551615ull}));
  auto n = run1("Min", {make_f32({2}, {NAN, 1}), make_f32({2}, {0, NAN})});
  EXPECT_TRUE(std::isnan(values_f32(n)[0]));
  EXPECT_TRUE(std::isnan(values_f32(n)[1]));
}

TEST(VariadicElementwise, Errors) {
  mtest::expect_error(test::run_node("Sum", {make<int32_t>({1}, {1})}), "expected");
  mtest::expect_error(test::run_node("Max", {make_f32({2}, {1, 2}), make_f32({3}, {1, 2, 3})}), "broadcast");
  mtest::expect_error(test::run_node("Min", {make_f32({1}, {1}), make<double>({1}, {1})}), "differ");
}

TEST(VariadicElementwise, SymbolicInference) {
  ValueType a{DType::kFloat32, true, {Dim::symbolic("N"), Dim(1)}};
  ValueType b{DType::kFloat32, true, {Dim(4)}};
  auto out = mtest::infer_types("Mean", 13, {a, b});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "float32[N,4]");
}

}  // namespace
}  // namespace ew
