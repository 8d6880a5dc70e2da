// QLinearAdd, QLinearGlobalAveragePool and QuantizeLinear int8 fast kernels
// against their reference kernels, byte for byte.
#include <gtest/gtest.h>

#include "ops/quant/fast/int8_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

NodeCase qadd(DType t, const Shape& shape, int za, int zb, int zc, float sc, uint32_t seed) {
  NodeCase c;
  c.op_type = "QLinearAdd";
  c.domain = "com.microsoft";
  c.opset = 1;
  c.inputs = {random_q8(t, shape, seed), scalar_f32(0.031f), scalar_q8(t, za), random_q8(t, shape, seed + 1),
              scalar_f32(0.017f), scalar_q8(t, zb), scalar_f32(sc), scalar_q8(t, zc)};
  c.constant = {false, true, true, false, true, true, true, true};
  return c;
}

NodeCase qgap(DType t, const Shape& shape, int zx, int zy, uint32_t seed) {
  NodeCase c;
  c.op_type = "QLinearGlobalAveragePool";
  c.domain = "com.microsoft";
  c.opset = 1;
  c.inputs = {random_q8(t, shape, seed), scalar_f32(0.05f), scalar_q8(t, zx), scalar_f32(0.011f), scalar_q8(t, zy)};
  c.constant = {false, true, true, true, true};
  return c;
}

NodeCase quantize(DType t, const Shape& shape, float scale, int zp, uint32_t seed) {
  NodeCase c;
  c.op_type = "QuantizeLinear";
  c.opset = 13;
  c.inputs = {random_f32(shape, seed, -3.0f, 3.0f), scalar_f32(scale), scalar_q8(t, zp)};
  c.constant = {false, true, true};
  return c;
}

}  // namespace

TEST(Int8Add, MatchesReference) {
  EW_REQUIRE_INT8_KERNELS();
  uint32_t seed = 1;
  for (const Shape& s : std::vector<Shape>{{1, 24, 56, 56}, {2, 3, 5, 7}, {1, 1, 1, 17}, {1, 160, 7, 7}}) {
    SCOPED_TRACE(shape_to_string(s));
    check_int8_matches(qadd(DType::kUInt8, s, 128, 120, 131, 0.04f, seed++), "int8_add");
    check_int8_matches(qadd(DType::kInt8, s, -3, 9, -7, 0.04f, seed++), "int8_add");
    check_int8_matches(qadd(DType::kUInt8, s, 0, 255, 17, 0.001f, seed++), "int8_add", 1);
  }
}

TEST(Int8Add, DeclinesBroadcast) {
  EW_REQUIRE_INT8_KERNELS();
  NodeCase c = qadd(DType::kUInt8, {1, 4, 3, 3}, 1, 2, 3, 0.1f, 5);
  c.inputs[3] = random_q8(DType::kUInt8, {1, 4, 1, 1}, 6);
  EXPECT_TRUE(fast_declines(c, "int8_add"));
}

TEST(Int8GlobalAveragePool, MatchesReference) {
  EW_REQUIRE_INT8_KERNELS();
  check_int8_matches(qgap(DType::kUInt8, {1, 1280, 7, 7}, 128, 120, 1), "int8_global_average_pool");
  check_int8_matches(qgap(DType::kInt8, {2, 77, 5, 3}, -9, 4, 2), "int8_global_average_pool");
  check_int8_matches(qgap(DType::kUInt8, {1, 64, 1, 1}, 200, 0, 3), "int8_global_average_pool", 1);
}

TEST(Int8Quantize, MatchesReference) {
  EW_REQUIRE_INT8_KERNELS();
  check_int8_matches(quantize(DType::kUInt8, {1, 3, 224, 224}, 0.0187f, 114, 1), "int8_quantize");
  check_int8_matches(quantize(DType::kInt8, {2, 3, 5, 7}, 0.02f, -4, 2), "int8_quantize");
  check_int8_matches(quantize(DType::kUInt8, {37}, 0.5f, 0, 3), "int8_quantize");
  // Exact halves round to even; out-of-range values saturate.
  NodeCase halves = quantize(DType::kInt8, {9}, 1.0f, 0, 4);
  halves.inputs[0] = make_f32({9}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 300.0f, -300.0f, 126.5f, -128.5f});
  check_int8_matches(halves, "int8_quantize", 1);
}

}  // namespace ew
