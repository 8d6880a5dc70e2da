#include <gtest/gtest.h>

#include <random>

#include "fast_test_util.h"
#include "ops/fast/int8_matmul.h"
#include "ops/quant/fast/int8_gemm.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

// A [.., K] x B [K, N] int8 (or uint8), per-column or scalar scale / zero point, optional bias.
NodeCase dqmm(const Shape& a, int64_t N, bool u8, bool per_column, bool zp, bool bias, uint32_t seed) {
  const int64_t K = a.back();
  NodeCase c;
  c.op_type = "DynamicQuantizeMatMul";
  c.domain = "com.microsoft";
  c.opset = 1;
  const Shape sc = per_column ? Shape{N} : Shape{};
  Tensor scale = random_f32(sc, seed + 1, 0.001f, 0.02f);
  Tensor b = u8 ? random_int<uint8_t>({K, N}, seed + 2, 0, 255) : random_int<int8_t>({K, N}, seed + 2, -128, 127);
  Tensor z;
  if (zp) z = u8 ? random_int<uint8_t>(sc, seed + 3, 100, 160) : random_int<int8_t>(sc, seed + 3, -20, 20);
  c.inputs = {random_f32(a, seed, -3.0f, 2.0f), b, scale, z, bias ? random_f32({N}, seed + 4) : Tensor()};
  c.constant = {false, true, true, true, true};
  return c;
}

}  // namespace

// Integer sums and the same float epilogue: the fast kernel is bit-exact.
TEST(FastDynamicQuantizeMatMul, BitExactToReference) {
  if (!fast::int8_matmul_supported()) GTEST_SKIP() << "CPU without AVX-512 VNNI or AVX2";
  const std::vector<std::pair<Shape, int64_t>> shapes = {
      {{1, 1}, 1}, {{3, 5}, 7}, {{4, 16}, 16}, {{5, 33}, 31}, {{1, 32, 128}, 384}, {{2, 7, 130}, 50}, {{9, 64}, 2}};
  uint32_t seed = 1;
  for (const auto& [a, n] : shapes)
    for (bool u8 : {false, true})
      for (bool per_column : {false, true})
        for (bool zp : {false, true}) {
          SCOPED_TRACE(shape_to_string(a) + " N=" + std::to_string(n) + (u8 ? " u8" : " s8") +
                       (per_column ? " per-column" : " per-tensor") + (zp ? " zp" : ""));
          check_fast_matches(dqmm(a, n, u8, per_column, zp, seed % 2 == 0, seed), "int8_matmul", 0, 0);
          ++seed;
        }
}

TEST(FastDynamicQuantizeMatMul, DeclinesDynamicWeights) {
  NodeCase c = dqmm({2, 8}, 4, false, true, false, false, 3);
  c.constant = {false, false, true, true, true};
  EXPECT_TRUE(fast_declines(c, "int8_matmul"));
}

}  // namespace ew
