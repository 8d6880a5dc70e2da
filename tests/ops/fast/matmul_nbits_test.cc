#include <gtest/gtest.h>

#include <random>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

Tensor random_bytes(const Shape& shape, uint32_t seed) {
  Tensor t = Tensor::create(DType::kUInt8, shape).value();
  std::mt19937 rng(seed);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<uint8_t>()[i] = static_cast<uint8_t>(rng());
  return t;
}

NodeCase nbits(const Shape& a, int64_t N, int64_t block, int zp_kind, bool bias, uint32_t seed) {
  const int64_t K = a.back(), blocks = (K + block - 1) / block;
  NodeCase c;
  c.op_type = "MatMulNBits";
  c.domain = "com.microsoft";
  c.opset = 1;
  c.attributes = {{"K", Attribute::make_int(K)}, {"N", Attribute::make_int(N)}, {"bits", Attribute::make_int(4)},
                  {"block_size", Attribute::make_int(block)}};
  Tensor zp;
  if (zp_kind == 1) zp = random_bytes({N * ((blocks + 1) / 2)}, seed + 3);
  if (zp_kind == 2) zp = random_f32({N * blocks}, seed + 3, 0.0f, 15.0f);
  c.inputs = {random_f32(a, seed), random_bytes({N, blocks, block / 2}, seed + 1),
              random_f32({N * blocks}, seed + 2, 0.01f, 0.1f), zp, Tensor(), bias ? random_f32({N}, seed + 4) : Tensor()};
  c.constant = {false, true, true, true, true, true};
  return c;
}

}  // namespace

TEST(FastMatMulNBits, MatchesReference) {
  const std::vector<std::tuple<Shape, int64_t, int64_t>> cases = {
      {{1, 32}, 1, 32},    {{3, 40}, 17, 16},    {{1, 32, 128}, 384, 32}, {{2, 5, 130}, 70, 64},
      {{4, 256}, 130, 128}, {{1, 512}, 128, 32}, {{7, 100}, 65, 32}};
  uint32_t seed = 10;
  for (const auto& [a, n, block] : cases)
    for (int zp : {0, 1, 2}) {
      SCOPED_TRACE(shape_to_string(a) + " N=" + std::to_string(n) + " block=" + std::to_string(block) +
                   " zp kind " + std::to_string(zp));
      check_fast_matches(nbits(a, n, block, zp, seed % 2 == 0, seed), "nbits_sgemm", 1e-4, 1e-4);
      ++seed;
    }
}

}  // namespace ew
