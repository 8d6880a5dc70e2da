#include "quant/quant_params.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace ew::quant {
namespace {

TEST(QuantParams, AsymmetricUint8MatchesHandComputed) {
  QuantParams p = params_from_range(-1.0f, 2.0f, quant_range(DType::kUInt8), false);
  EXPECT_FLOAT_EQ(p.scale, 3.0f / 255.0f);
  EXPECT_EQ(p.zero_point, 85);
}

TEST(QuantParams, AsymmetricInt8WidensToIncludeZero) {
  QuantParams p = params_from_range(0.5f, 2.55f, quant_range(DType::kInt8), false);
  EXPECT_FLOAT_EQ(p.scale, 2.55f / 255.0f);
  EXPECT_EQ(p.zero_point, -128);  // min widened to 0
  EXPECT_EQ(quantize_value(0.0f, p, quant_range(DType::kInt8)), -128);
}

TEST(QuantParams, SymmetricInt8UsesOrtRestrictedRange) {
  QuantParams p = params_from_range(-0.5f, 1.27f, quant_range(DType::kInt8), true);
  EXPECT_FLOAT_EQ(p.scale, 1.27f / 127.0f);
  EXPECT_EQ(p.zero_point, 0);
}

TEST(QuantParams, SymmetricUint8CentresAt128) {
  QuantParams p = params_from_range(-1.0f, 1.0f, quant_range(DType::kUInt8), true);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255.0f);
  EXPECT_EQ(p.zero_point, 128);
}

TEST(QuantParams, DegenerateRangeGivesScaleOne) {
  QuantParams p = params_from_range(0.0f, 0.0f, quant_range(DType::kInt8), false);
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.zero_point, 0);
}

TEST(QuantParams, QuantizeRoundsHalfToEvenAndSaturates) {
  QuantParams p{1.0f, 0};
  QuantRange r = quant_range(DType::kInt8);
  EXPECT_EQ(quantize_value(2.5f, p, r), 2);
  EXPECT_EQ(quantize_value(3.5f, p, r), 4);
  EXPECT_EQ(quantize_value(-2.5f, p, r), -2);
  EXPECT_EQ(quantize_value(300.0f, p, r), 127);
  EXPECT_EQ(quantize_value(-300.0f, p, r), -128);
}

TEST(QuantParams, RangeBits) {
  EXPECT_EQ(quant_range_bits(4, true).lo, -8);
  EXPECT_EQ(quant_range_bits(4, true).hi, 7);
  EXPECT_EQ(quant_range_bits(4, false).hi, 15);
  EXPECT_EQ(quant_range(DType::kUInt8).hi, 255);
}

TEST(QuantParams, PerChannelAlongAxis0) {
  Tensor w = test::make_f32({2, 3}, {1.0f, -0.5f, 0.25f, 0.0f, 2.54f, -1.27f});
  auto q = quantize_tensor(w, DType::kInt8, 0, true);
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(q->scale.shape(), (Shape{2}));
  EXPECT_FLOAT_EQ(q->scale.data<float>()[0], 1.0f / 127.0f);
  EXPECT_FLOAT_EQ(q->scale.data<float>()[1], 2.54f / 127.0f);
  EXPECT_EQ(q->zero_point.dtype(), DType::kInt8);
  const int8_t* v = q->values.data<int8_t>();
  EXPECT_EQ(v[0], 127);
  EXPECT_EQ(v[1], -64);  // -63.5 -> -64 (half to even)
  EXPECT_EQ(v[2], 32);   // 31.75
  EXPECT_EQ(v[4], 127);
  EXPECT_EQ(v[5], -64);  // -63.5
}

TEST(QuantParams, PerChannelAlongAxis1AndPerTensor) {
  Tensor w = test::make_f32({2, 2}, {1.0f, 4.0f, -2.0f, 0.0f});
  auto q = quantize_tensor(w, DType::kInt8, 1, true);
  ASSERT_TRUE(q.is_ok());
  EXPECT_FLOAT_EQ(q->scale.data<float>()[0], 2.0f / 127.0f);
  EXPECT_FLOAT_EQ(q->scale.data<float>()[1], 4.0f / 127.0f);
  auto t = quantize_tensor(w, DType::kUInt8, -1, false);
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t->scale.rank(), 0);
  EXPECT_FLOAT_EQ(t->scale.data<float>()[0], 6.0f / 255.0f);
  EXPECT_EQ(t->zero_point.data<uint8_t>()[0], 85);
}

TEST(QuantParams, QuantizeTensorRejectsBadInput) {
  Tensor w = test::make_f32({2}, {1.0f, 2.0f});
  EXPECT_FALSE(quantize_tensor(w, DType::kInt8, 1, true).is_ok());
  EXPECT_FALSE(quantize_tensor(w, DType::kInt32, 0, true).is_ok());
  EXPECT_FALSE(quantize_tensor(test::make<int32_t>({1}, {1}), DType::kInt8, 0, true).is_ok());
}

TEST(QuantParams, Sqnr) {
  Tensor a = test::make_f32({2}, {3.0f, 4.0f});
  Tensor b = test::make_f32({2}, {3.0f, 3.5f});
  EXPECT_NEAR(sqnr_db(a, b), 10.0 * std::log10(25.0 / 0.25), 1e-9);
  EXPECT_EQ(sqnr_db(a, a), 200.0);
}

}  // namespace
}  // namespace ew::quant
