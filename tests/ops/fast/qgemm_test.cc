#include <gtest/gtest.h>

#include <random>

#include "fast_test_util.h"
#include "ops/fast/int8_matmul.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

Tensor scalar(float v) { return make_f32({}, {v}); }

struct QGemmCase {
  int64_t M, K, N;
  bool a_signed, b_signed, trans_a, trans_b, per_column, bias, quantized_out;
};

NodeCase qgemm(const QGemmCase& q, uint32_t seed) {
  NodeCase c;
  c.op_type = "QGemm";
  c.domain = "com.microsoft";
  c.opset = 1;
  c.attributes = {{"transA", Attribute::make_int(q.trans_a)}, {"transB", Attribute::make_int(q.trans_b)}};
  const Shape as = q.trans_a ? Shape{q.K, q.M} : Shape{q.M, q.K}, bs = q.trans_b ? Shape{q.N, q.K} : Shape{q.K, q.N};
  Tensor a = q.a_signed ? random_int<int8_t>(as, seed, -128, 127) : random_int<uint8_t>(as, seed, 0, 255);
  Tensor a_zp = q.a_signed ? make<int8_t>({}, {-3}) : make<uint8_t>({}, {121});
  Tensor b = q.b_signed ? random_int<int8_t>(bs, seed + 1, -127, 127) : random_int<uint8_t>(bs, seed + 1, 0, 255);
  const Shape sc = q.per_column ? Shape{q.N} : Shape{};
  Tensor b_zp = q.b_signed ? random_int<int8_t>(sc, seed + 2, -4, 4) : random_int<uint8_t>(sc, seed + 2, 120, 136);
  Tensor bias = q.bias ? random_int<int32_t>({q.N}, seed + 3, -5000, 5000) : Tensor();
  c.inputs = {a, scalar(0.02f), a_zp, b, random_f32(sc, seed + 4, 0.001f, 0.01f), b_zp, bias};
  if (q.quantized_out) {
    c.inputs.push_back(scalar(0.05f));
    c.inputs.push_back(make<int8_t>({}, {5}));
  }
  c.constant.assign(c.inputs.size(), true);
  c.constant[0] = false;
  return c;
}

}  // namespace

TEST(FastQGemm, BitExactToReference) {
  if (!fast::int8_matmul_supported()) GTEST_SKIP() << "CPU without AVX-512 VNNI or AVX2";
  const std::vector<std::tuple<int64_t, int64_t, int64_t>> shapes = {
      {1, 1, 1}, {1, 1280, 1000}, {3, 17, 33}, {5, 64, 10}, {8, 130, 47}};
  uint32_t seed = 1;
  for (const auto& [m, k, n] : shapes)
    for (int variant = 0; variant < 8; ++variant) {
      QGemmCase q{m, k, n, (variant & 1) != 0, (variant & 2) == 0, variant == 5, (variant & 4) != 0,
                  variant != 3, variant % 3 != 0, variant >= 4};
      SCOPED_TRACE(std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n) + " variant " +
                   std::to_string(variant));
      check_fast_matches(qgemm(q, seed++), "int8_matmul", 0, 0);
    }
}

}  // namespace ew
