#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_i;
using atest::attr_s;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::make_i64;
using test::values_f32;

namespace {
Tensor logp() { return make_f32({2, 3}, {-1, -2, -3, -0.5f, -1.5f, -2.5f}); }
std::map<std::string, Attribute> red(const std::string& r) { return {{"reduction", attr_s(r)}}; }
}  // namespace

TEST(NegativeLogLikelihoodLoss, Reductions) {
  auto t = make_i64({2}, {2, 0});
  expect_near(values_f32(run_ok("NegativeLogLikelihoodLoss", {logp(), t}, red("none"))[0]), {3, 0.5f});
  expect_near(values_f32(run_ok("NegativeLogLikelihoodLoss", {logp(), t}, red("sum"))[0]), {3.5f});
  auto mean = run_ok("NegativeLogLikelihoodLoss", {logp(), t});
  EXPECT_EQ(mean[0].rank(), 0);
  expect_near(values_f32(mean[0]), {1.75f});
}

TEST(NegativeLogLikelihoodLoss, WeightedMeanDividesByWeightSum) {
  auto out = run_ok("NegativeLogLikelihoodLoss", {logp(), make_i64({2}, {2, 0}), make_f32({3}, {1, 2, 4})});
  expect_near(values_f32(out[0]), {12.5f / 5});  // (3 * 4 + 0.5 * 1) / (4 + 1)
}

TEST(NegativeLogLikelihoodLoss, IgnoreIndexMayLieOutsideTheClasses) {
  auto out = run_ok("NegativeLogLikelihoodLoss", {logp(), make_i64({2}, {10, 1})}, {{"ignore_index", attr_i(10)}});
  expect_near(values_f32(out[0]), {1.5f});  // only the second sample counts
}

TEST(NegativeLogLikelihoodLoss, SpatialDims) {
  auto out = run_ok("NegativeLogLikelihoodLoss", {make_f32({1, 2, 2}, {-1, -2, -3, -4}), make_i64({1, 2}, {1, 0})},
                    red("none"));
  EXPECT_EQ(out[0].shape(), (Shape{1, 2}));
  expect_near(values_f32(out[0]), {3, 2});
}

TEST(NegativeLogLikelihoodLoss, TargetOutOfRangeAndBadReductionAreErrors) {
  atest::expect_error(test::run_node("NegativeLogLikelihoodLoss", {logp(), make_i64({2}, {3, 0})}), "out of range");
  atest::expect_error(test::run_node("NegativeLogLikelihoodLoss", {logp(), make_i64({2}, {-1, 0})}), "out of range");
  atest::expect_error(test::run_node("NegativeLogLikelihoodLoss", {logp(), make_i64({2}, {1, 0})}, red("max")),
                      "reduction");
}

TEST(NegativeLogLikelihoodLoss, InferOutputShape) {
  auto in = atest::sym_type(DType::kFloat32, {Dim::symbolic("N"), 5, Dim::symbolic("D")});
  auto tgt = atest::sym_type(DType::kInt64, {Dim::symbolic("N"), Dim::symbolic("D")});
  auto none = atest::infer_types("NegativeLogLikelihoodLoss", 13, {in, tgt}, red("none"));
  ASSERT_TRUE(none.is_ok()) << none.status().to_string();
  EXPECT_EQ((*none)[0].to_string(), "float32[N,D]");
  auto mean = atest::infer_types("NegativeLogLikelihoodLoss", 13, {in, tgt});
  ASSERT_TRUE(mean.is_ok());
  EXPECT_EQ((*mean)[0].to_string(), "float32[]");
}

}  // namespace ew
