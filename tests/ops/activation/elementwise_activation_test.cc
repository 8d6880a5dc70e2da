#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(ElementwiseActivation, SigmoidIsStableOnBothTails) {
  auto out = run_ok("Sigmoid", {make_f32({5}, {-100, -1, 0, 1, 100})});
  expect_near(values_f32(out[0]), {3.720076e-44f, 0.26894142f, 0.5f, 0.73105858f, 1.0f});
}

TEST(ElementwiseActivation, Tanh) {
  auto out = run_ok("Tanh", {make_f32({3}, {-1, 0, 1})});
  expect_near(values_f32(out[0]), {-0.76159416f, 0.0f, 0.76159416f});
}

TEST(ElementwiseActivation, SoftplusDoesNotOverflow) {
  auto out = run_ok("Softplus", {make_f32({4}, {-1, 0, 1, 100})});
  expect_near(values_f32(out[0]), {0.31326169f, 0.69314718f, 1.31326169f, 100.0f});
}

TEST(ElementwiseActivation, Softsign) {
  auto out = run_ok("Softsign", {make_f32({3}, {-3, 0, 1})});
  expect_near(values_f32(out[0]), {-0.75f, 0.0f, 0.5f});
}

TEST(ElementwiseActivation, MishFromOpset18Only) {
  auto out = run_ok("Mish", {make_f32({3}, {-1, 0, 1})}, {}, 1, 18);
  expect_near(values_f32(out[0]), {-0.30340146f, 0.0f, 0.86509839f});
  EXPECT_FALSE(test::run_node("Mish", {make_f32({1}, {1})}, {}, 1, 17).is_ok());
}

TEST(ElementwiseActivation, HardSwishFromOpset14) {
  auto out = run_ok("HardSwish", {make_f32({5}, {-4, -1, 0, 1, 4})}, {}, 1, 14);
  expect_near(values_f32(out[0]), {0.0f, -1.0f / 3, 0.0f, 2.0f / 3, 4.0f});
  EXPECT_FALSE(test::run_node("HardSwish", {make_f32({1}, {1})}, {}, 1, 13).is_ok());
}

TEST(ElementwiseActivation, Float16ComputesInFloat) {
  auto x = test::make<float16>({2}, {float16(0.0f), float16(2.0f)});
  auto out = run_ok("Sigmoid", {x});
  ASSERT_EQ(out[0].dtype(), DType::kFloat16);
  expect_near(values_f32(out[0]), {0.5f, 0.880797f}, 1e-3f);
}

TEST(ElementwiseActivation, IntegerInputIsAnError) {
  atest::expect_error(test::run_node("Tanh", {test::make_i64({2}, {1, 2})}), "float");
}

TEST(ElementwiseActivation, InferKeepsSymbolicDims) {
  auto types = atest::infer_types("Softsign", 17, {atest::sym_type(DType::kFloat32, {Dim::symbolic("N"), 3})});
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float32[N,3]");
}

}  // namespace ew
