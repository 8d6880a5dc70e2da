#include <gtest/gtest.h>

#include <cmath>

#include "ops/quant/fast/int8_test_util.h"

namespace ew {
using namespace test;

namespace {

struct ConvCase {
  int64_t n, c, h, w, m, k;
  int64_t stride = 1, pad = 0, group = 1;
  DType xt = DType::kUInt8, wt = DType::kInt8, yt = DType::kUInt8;
  bool per_channel = false, bias = true;
  int x_zp = 0, w_zp = 0, y_zp = 0;
  float y_scale = 0.05f;
};

Tensor scales(int64_t m, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(0.001f, 0.02f);
  auto t = Tensor::create(DType::kFloat32, {m});
  for (int64_t i = 0; i < m; ++i) t->data<float>()[i] = d(rng);
  return std::move(t).value();
}

Tensor zero_points(DType t, int64_t m, int base, uint32_t seed) {
  Tensor z = random_q8(t, {m}, seed, base - 3, base + 3);
  return z;
}

NodeCase qconv(const ConvCase& cc, uint32_t seed = 1) {
  NodeCase c;
  c.op_type = "QLinearConv";
  c.opset = 13;
  const int64_t cpg = cc.c / cc.group;
  Tensor w_scale = cc.per_channel ? scales(cc.m, seed + 7) : scalar_f32(0.004f);
  Tensor w_zp = cc.per_channel ? zero_points(cc.wt, cc.m, cc.w_zp, seed + 8) : scalar_q8(cc.wt, cc.w_zp);
  const float k_scale = std::sqrt(static_cast<float>(cpg * cc.k * cc.k) / 16.0f);
  const float y_scale = cc.y_scale == 0.05f ? cc.y_scale * k_scale : cc.y_scale;
  c.inputs = {random_q8(cc.xt, {cc.n, cc.c, cc.h, cc.w}, seed),
              scalar_f32(0.02f),
              scalar_q8(cc.xt, cc.x_zp),
              random_q8(cc.wt, {cc.m, cpg, cc.k, cc.k}, seed + 1),
              w_scale,
              w_zp,
              scalar_f32(y_scale),
              scalar_q8(cc.yt, cc.y_zp)};
  if (cc.bias) {
    auto b = Tensor::create(DType::kInt32, {cc.m});
    std::mt19937 rng(seed + 3);
    std::uniform_int_distribution<int32_t> d(-3000, 3000);
    for (int64_t i = 0; i < cc.m; ++i) b->data<int32_t>()[i] = d(rng);
    c.inputs.push_back(std::move(b).value());
  }
  c.attributes = {{"kernel_shape", Attribute::make_ints({cc.k, cc.k})},
                  {"strides", Attribute::make_ints({cc.stride, cc.stride})},
                  {"pads", Attribute::make_ints({cc.pad, cc.pad, cc.pad, cc.pad})},
                  {"group", Attribute::make_int(cc.group)}};
  c.constant.assign(c.inputs.size(), true);
  c.constant[0] = false;
  return c;
}

std::string describe(const ConvCase& c) {
  return std::to_string(c.n) + "x" + std::to_string(c.c) + "x" + std::to_string(c.h) + "x" + std::to_string(c.w) +
         " m" + std::to_string(c.m) + " k" + std::to_string(c.k) + " s" + std::to_string(c.stride) + " p" +
         std::to_string(c.pad) + " g" + std::to_string(c.group) + " x" + dtype_name(c.xt) + " w" +
         dtype_name(c.wt) + " y" + dtype_name(c.yt) + (c.per_channel ? " per-channel" : " per-tensor");
}

// Every type combination, zero point and scale flavour for one geometry.
void check_all_types(ConvCase cc, const std::string& kernel, int min_distinct = 12) {
  uint32_t seed = 11;
  for (DType xt : {DType::kUInt8, DType::kInt8})
    for (DType wt : {DType::kInt8, DType::kUInt8})
      for (DType yt : {DType::kUInt8, DType::kInt8})
        for (bool per_channel : {false, true}) {
          cc.xt = xt, cc.wt = wt, cc.yt = yt, cc.per_channel = per_channel;
          cc.x_zp = xt == DType::kUInt8 ? 131 : -5;
          cc.w_zp = wt == DType::kUInt8 ? 120 : (per_channel ? 0 : 3);
          cc.y_zp = yt == DType::kUInt8 ? 100 : 7;
          cc.bias = !cc.bias;
          SCOPED_TRACE(describe(cc));
          check_int8_matches(qconv(cc, seed++), kernel, min_distinct);
        }
}

}  // namespace

TEST(Int8GemmConv, PointwiseMatchesReference) {
  EW_REQUIRE_INT8_KERNELS();
  check_all_types({1, 16, 7, 9, 24, 1}, "int8_gemm_conv");
  check_all_types({2, 35, 5, 13, 13, 1}, "int8_gemm_conv");
  check_all_types({1, 4, 33, 31, 5, 1}, "int8_gemm_conv");
  check_all_types({1, 3, 1, 1, 1, 1}, "int8_gemm_conv");
}

TEST(Int8GemmConv, PointwiseLargeShapes) {
  EW_REQUIRE_INT8_KERNELS();
  check_int8_matches(qconv({1, 96, 28, 28, 24, 1}), "int8_gemm_conv");
  check_int8_matches(qconv({1, 320, 7, 7, 1280, 1}), "int8_gemm_conv");
  check_int8_matches(qconv({1, 160, 7, 7, 960, 1}), "int8_gemm_conv");
}

TEST(Int8GemmConv, SpatialKernelsStridesAndPadding) {
  EW_REQUIRE_INT8_KERNELS();
  check_all_types({1, 3, 17, 15, 16, 3, 2, 1}, "int8_gemm_conv");
  check_all_types({2, 8, 9, 11, 9, 3, 1, 1}, "int8_gemm_conv");
  check_all_types({1, 5, 12, 12, 7, 1, 2, 0}, "int8_gemm_conv");
  check_all_types({1, 3, 20, 19, 8, 7, 2, 3}, "int8_gemm_conv");
  check_all_types({1, 6, 6, 5, 4, 5, 1, 2}, "int8_gemm_conv");
  check_int8_matches(qconv({1, 64, 14, 14, 64, 3, 1, 1}), "int8_gemm_conv");
}

TEST(Int8GemmConv, ExtremeScalesSaturate) {
  EW_REQUIRE_INT8_KERNELS();
  ConvCase big{1, 16, 5, 5, 8, 3, 1, 1};
  big.y_scale = 1e-6f;
  check_all_types(big, "int8_gemm_conv", 1);
  ConvCase tiny{1, 16, 5, 5, 8, 1};
  tiny.y_scale = 1e6f;
  check_all_types(tiny, "int8_gemm_conv", 1);
}

TEST(Int8DepthwiseConv, MatchesReference) {
  EW_REQUIRE_INT8_KERNELS();
  for (int64_t stride : {1, 2})
    for (int64_t k : {3, 5}) {
      check_all_types({1, 8, 13, 21, 8, k, stride, k / 2, 8}, "int8_depthwise_conv");
      check_all_types({2, 3, 7, 40, 3, k, stride, 0, 3}, "int8_depthwise_conv");
    }
  check_all_types({1, 4, 1, 1, 4, 3, 1, 1, 4}, "int8_depthwise_conv");
  check_all_types({1, 4, 2, 2, 4, 3, 2, 1, 4}, "int8_depthwise_conv");
  // Outputs at most 8 wide: two rows per vector, odd row counts.
  check_all_types({1, 16, 7, 7, 16, 3, 1, 1, 16}, "int8_depthwise_conv");
  check_all_types({1, 8, 14, 14, 8, 3, 2, 1, 8}, "int8_depthwise_conv");
  check_all_types({2, 8, 9, 6, 8, 3, 1, 1, 8}, "int8_depthwise_conv");
  check_all_types({1, 8, 8, 16, 8, 3, 2, 1, 8}, "int8_depthwise_conv");
  check_all_types({1, 8, 5, 8, 8, 3, 1, 0, 8}, "int8_depthwise_conv");
  check_all_types({1, 8, 7, 7, 8, 7, 1, 3, 8}, "int8_depthwise_conv");
  check_int8_matches(qconv({1, 32, 112, 112, 32, 3, 1, 1, 32}), "int8_depthwise_conv");
  check_int8_matches(qconv({1, 144, 56, 56, 144, 3, 2, 1, 144}), "int8_depthwise_conv");
}

TEST(Int8Conv, DeclinesGroupedAndDynamicWeights) {
  EW_REQUIRE_INT8_KERNELS();
  NodeCase grouped = qconv({1, 8, 5, 5, 8, 3, 1, 1, 2});
  EXPECT_TRUE(fast_declines(grouped, "int8_gemm_conv"));
  EXPECT_TRUE(fast_declines(grouped, "int8_depthwise_conv"));
  NodeCase dynamic_w = qconv({1, 8, 5, 5, 8, 1});
  dynamic_w.constant[3] = false;
  EXPECT_TRUE(fast_declines(dynamic_w, "int8_gemm_conv"));
}

}  // namespace ew
