#include <gtest/gtest.h>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

NodeCase mat_mul(const Shape& a, const Shape& b, bool b_constant, uint32_t seed = 1) {
  NodeCase c;
  c.op_type = "MatMul";
  c.inputs = {random_f32(a, seed), random_f32(b, seed + 100)};
  c.constant = {false, b_constant};
  return c;
}

}  // namespace

TEST(FastMatMul, MatchesReferenceOnVariedShapes) {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{1, 1}, {1, 1}},           {{7, 5}, {5, 3}},          {{6, 16}, {16, 16}},
      {{13, 37}, {37, 29}},       {{1, 32, 128}, {128, 128}}, {{2, 32, 128}, {128, 512}},
      {{70, 300}, {300, 33}},     {{5}, {5, 9}},              {{9, 5}, {5}},
      {{5}, {5}},                 {{1, 4, 32, 32}, {1, 4, 32, 32}}, {{2, 1, 3, 4}, {3, 4, 5}},
      {{3, 1, 7, 6}, {1, 2, 6, 17}}, {{4, 3, 0}, {0, 5}},    {{0, 3}, {3, 4}},
      {{2, 3, 8}, {2, 8, 1}},    {{100, 20}, {20, 260}},
  };
  for (const auto& [a, b] : cases)
    for (bool constant : {false, true}) {
      SCOPED_TRACE(shape_to_string(a) + " x " + shape_to_string(b) + (constant ? " const B" : " dynamic B"));
      check_fast_matches(mat_mul(a, b, constant), "sgemm", 1e-5, 1e-5);
    }
}

TEST(FastMatMul, LongInnerDimensionCrossesKBlocks) {
  check_fast_matches(mat_mul({9, 700}, {700, 40}, true), "sgemm", 1e-4, 1e-5);
  check_fast_matches(mat_mul({2, 9, 513}, {2, 513, 18}, false), "sgemm", 1e-4, 1e-5);
}

TEST(FastMatMul, DeclinesNonFloat) {
  NodeCase c;
  c.op_type = "MatMul";
  c.inputs = {make<int32_t>({2, 2}, {1, 2, 3, 4}), make<int32_t>({2, 2}, {1, 0, 0, 1})};
  EXPECT_TRUE(fast_declines(c, "sgemm"));
}

namespace {

NodeCase gemm(const Shape& a, const Shape& b, const Shape* c_shape, bool ta, bool tb, float alpha, float beta,
              bool b_constant) {
  NodeCase c;
  c.op_type = "Gemm";
  c.opset = 13;
  c.inputs = {random_f32(a, 3), random_f32(b, 4)};
  if (c_shape) c.inputs.push_back(random_f32(*c_shape, 5));
  c.attributes = {{"transA", Attribute::make_int(ta)}, {"transB", Attribute::make_int(tb)},
                  {"alpha", Attribute::make_float(alpha)}, {"beta", Attribute::make_float(beta)}};
  c.constant = {false, b_constant, true};
  return c;
}

}  // namespace

TEST(FastGemm, MatchesReferenceWithFlagsAndBias) {
  const int64_t M = 11, K = 19, N = 23;
  const Shape full{M, N}, row{N}, col{M, 1}, scalar{};
  const std::vector<const Shape*> biases = {nullptr, &full, &row, &col, &scalar};
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (const Shape* bias : biases)
        for (bool constant : {false, true}) {
          const Shape a = ta ? Shape{K, M} : Shape{M, K}, b = tb ? Shape{N, K} : Shape{K, N};
          SCOPED_TRACE(std::string("transA ") + std::to_string(ta) + " transB " + std::to_string(tb) +
                       " bias " + (bias ? shape_to_string(*bias) : "none"));
          check_fast_matches(gemm(a, b, bias, ta, tb, 0.7f, 1.3f, constant), "sgemm", 1e-5, 1e-5);
        }
}

TEST(FastGemm, BetaZeroIgnoresC) {
  const Shape bias{4, 6};
  check_fast_matches(gemm({4, 300}, {300, 6}, &bias, false, false, 1.0f, 0.0f, true), "sgemm", 1e-4, 1e-5);
}

TEST(FastGemm, BiasWithLongInnerDimension) {
  const Shape bias{1, 37};
  check_fast_matches(gemm({600, 5}, {37, 600}, &bias, true, true, -0.5f, 0.5f, false), "sgemm", 1e-4, 1e-5);
}

TEST(FastGemm, ClassifierShape) {
  const Shape bias{1000};
  check_fast_matches(gemm({1, 512}, {1000, 512}, &bias, false, true, 1.0f, 1.0f, true), "sgemm", 1e-4, 1e-5);
}

}  // namespace ew
