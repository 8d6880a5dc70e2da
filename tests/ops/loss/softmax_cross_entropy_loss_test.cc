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
// log_softmax({1, 2, 3})
const float kL1 = -2.40760596f, kL2 = -1.40760596f, kL3 = -0.40760596f;
}  // namespace

TEST(SoftmaxCrossEntropyLoss, MeanWithLogProbOutput) {
  auto out = run_ok("SoftmaxCrossEntropyLoss", {make_f32({1, 3}, {1, 2, 3}), make_i64({1}, {2})}, {}, 2, 13);
  expect_near(values_f32(out[0]), {-kL3});
  EXPECT_EQ(out[1].shape(), (Shape{1, 3}));
  expect_near(values_f32(out[1]), {kL1, kL2, kL3});
}

TEST(SoftmaxCrossEntropyLoss, WeightsNoneAndMean) {
  auto x = make_f32({2, 3}, {1, 2, 3, 1, 2, 3});
  auto labels = test::make<int32_t>({2}, {0, 2});
  auto w = make_f32({3}, {1, 1, 2});
  auto none = run_ok("SoftmaxCrossEntropyLoss", {x, labels, w}, {{"reduction", attr_s("none")}});
  expect_near(values_f32(none[0]), {-kL1, -2 * kL3});
  auto mean = run_ok("SoftmaxCrossEntropyLoss", {x, labels, w});
  expect_near(values_f32(mean[0]), {(-kL1 - 2 * kL3) / 3});
}

TEST(SoftmaxCrossEntropyLoss, IgnoreIndexWithSum) {
  auto out = run_ok("SoftmaxCrossEntropyLoss", {make_f32({2, 3}, {1, 2, 3, 1, 2, 3}), make_i64({2}, {0, 2})},
                    {{"reduction", attr_s("sum")}, {"ignore_index", attr_i(0)}});
  expect_near(values_f32(out[0]), {-kL3});
}

TEST(SoftmaxCrossEntropyLoss, BadLabelsAreErrors) {
  auto x = make_f32({1, 3}, {1, 2, 3});
  atest::expect_error(test::run_node("SoftmaxCrossEntropyLoss", {x, make_f32({1}, {2})}), "int32 or int64");
  atest::expect_error(test::run_node("SoftmaxCrossEntropyLoss", {x, make_i64({1}, {5})}), "out of range");
  atest::expect_error(test::run_node("SoftmaxCrossEntropyLoss", {x, make_i64({2}, {0, 1})}), "target");
}

TEST(SoftmaxCrossEntropyLoss, InferLogProbTypeWithSymbolicDims) {
  auto types = atest::infer_types("SoftmaxCrossEntropyLoss", 13,
                                  {atest::sym_type(DType::kFloat32, {Dim::symbolic("N"), 4}),
                                   atest::sym_type(DType::kInt64, {Dim::symbolic("N")})},
                                  {}, 2);
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float32[]");
  EXPECT_EQ((*types)[1].to_string(), "float32[N,4]");
}

}  // namespace ew
