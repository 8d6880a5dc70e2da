#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::attr_i;
using mtest::run1;
using mtest::values;
using test::make;
using test::make_f32;
using test::values_f32;

Attribute to(DType t) { return attr_i(static_cast<int64_t>(t)); }

TEST(Cast, FloatToIntTruncatesAndSaturates) {
  auto x = make_f32({6}, {2.9f, -2.9f, 1e10f, -1e10f, NAN, 127.5f});
  EXPECT_EQ(values<int32_t>(run1("Cast", {x}, {{"to", to(DType::kInt32)}})),
            (std::vector<int32_t>{2, -2, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(), 0, 127}));
  EXPECT_EQ(values<int8_t>(run1("Cast", {x}, {{"to", to(DType::kInt8)}})),
            (std::vector<int8_t>{2, -2, 127, -128, 0, 127}));
  EXPECT_EQ(values<uint8_t>(run1("Cast", {x}, {{"to", to(DType::kUInt8)}})),
            (std::vector<uint8_t>{2, 0, 255, 0, 0, 127}));
}

TEST(Cast, BoolConversions) {
  auto b = run1("Cast", {make_f32({4}, {0, -0.f, 0.1f, NAN})}, {{"to", to(DType::kBool)}});
  EXPECT_EQ(values<bool>(b), (std::vector<bool>{false, false, true, true}));
  auto f = run1("Cast", {make<bool>({2}, {true, false})}, {{"to", to(DType::kFloat16)}});
  EXPECT_EQ(values_f32(f), (std::vector<float>{1, 0}));
}

TEST(Cast, IntegerNarrowingWraps) {
  auto y = run1("Cast", {make<int64_t>({3}, {300, -1, 65536 + 7})}, {{"to", to(DType::kUInt8)}});
  EXPECT_EQ(values<uint8_t>(y), (std::vector<uint8_t>{44, 255, 7}));
}

TEST(Cast, HalfPrecisionRoundTrips) {
  auto h = run1("Cast", {make_f32({3}, {1.0009765625f, 65504.f, 1e6f})}, {{"to", to(DType::kFloat16)}});
  EXPECT_EQ(h.dtype(), DType::kFloat16);
  EXPECT_EQ(values_f32(h), (std::vector<float>{1.0009765625f, 65504.f, INFINITY}));
  auto bf = run1("Cast", {make<double>({2}, {1.00390625, 3.0})}, {{"to", to(DType::kBFloat16)}});
  EXPECT_EQ(values_f32(bf), (std::vector<float>{1.0f, 3.0f}));  // 1 + 2^-8 ties to even
  auto i = run1("Cast", {h}, {{"to", to(DType::kInt16)}});
  EXPECT_EQ(values<int16_t>(i), (std::vector<int16_t>{1, 32767, 32767}));
}

TEST(CastLike, TakesTargetTypeFromSecondInput) {
  auto y = run1("CastLike", {make_f32({2}, {1.5f, -2.5f}), make<int64_t>({1}, {0})}, {}, 15);
  EXPECT_EQ(y.dtype(), DType::kInt64);
  EXPECT_EQ(values<int64_t>(y), (std::vector<int64_t>{1, -2}));
  EXPECT_FALSE(test::run_node("CastLike", {make_f32({1}, {1}), make_f32({1}, {1})}, {}, 1, 14).is_ok());
}

TEST(Cast, Errors) {
  auto x = make_f32({1}, {1});
  mtest::expect_error(test::run_node("Cast", {x}), "'to'");
  auto str = test::run_node("Cast", {x}, {{"to", attr_i(8)}});
  ASSERT_FALSE(str.is_ok());
  EXPECT_EQ(str.status().code(), StatusCode::kUnsupported);
  EXPECT_FALSE(test::run_node("Cast", {x}, {{"to", attr_i(99)}}).is_ok());
  EXPECT_FALSE(test::run_node("Cast", {x}, {{"to", attr_i(-5)}}).is_ok());
}

TEST(Cast, SymbolicInference) {
  ValueType in{DType::kFloat32, true, {Dim::symbolic("N"), Dim(2)}};
  auto out = mtest::infer_types("Cast", 13, {in}, {{"to", to(DType::kUInt16)}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].to_string(), "uint16[N,2]");
}

}  // namespace
}  // namespace ew
