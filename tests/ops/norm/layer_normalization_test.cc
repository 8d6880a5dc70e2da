#include <gtest/gtest.h>

#include "ops/activation/activation_test_util.h"

namespace ew {
using atest::attr_f;
using atest::attr_i;
using atest::expect_near;
using atest::run_ok;
using test::make_f32;
using test::values_f32;

TEST(LayerNormalization, LastAxisWithMeanAndInvStdDev) {
  auto out = run_ok("LayerNormalization",
                    {make_f32({2, 2}, {1, 3, 2, 6}), make_f32({2}, {1, 2}), make_f32({2}, {0, 1})},
                    {{"epsilon", attr_f(0.0f)}}, 3, 17);
  expect_near(values_f32(out[0]), {-1, 3, -1, 3});
  EXPECT_EQ(out[1].shape(), (Shape{2, 1}));
  expect_near(values_f32(out[1]), {2, 4});
  expect_near(values_f32(out[2]), {1, 0.5f});
}

TEST(LayerNormalization, Axis0WithBroadcastScaleAndNoBias) {
  auto out = run_ok("LayerNormalization", {make_f32({2, 2}, {1, 3, 2, 6}), make_f32({1}, {1})},
                    {{"epsilon", attr_f(0.0f)}, {"axis", attr_i(0)}}, 2, 17);
  expect_near(values_f32(out[0]), {-1.0690450f, 0.0f, -0.5345225f, 1.6035675f});
  EXPECT_EQ(out[1].shape(), (Shape{1, 1}));
  expect_near(values_f32(out[1]), {3});
}

TEST(LayerNormalization, BadScaleShapeIsAnError) {
  atest::expect_error(test::run_node("LayerNormalization", {make_f32({1, 2}, {1, 2}), make_f32({3}, {1, 1, 1})}),
                      "broadcast");
}

// Below opset 17 LayerNormalization is not an ONNX op, but ONNX Runtime accepts
// it (as our optimizer emits it for older models); so do we.
TEST(LayerNormalization, AcceptedBelowOpset17AsOnnxRuntimeDoes) {
  auto out = test::run_node("LayerNormalization", {make_f32({1, 2}, {1, 3}), make_f32({2}, {1, 1})}, {}, 1, 16);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  expect_near(values_f32(out.value()[0]), {-1.0f, 1.0f});
}

TEST(LayerNormalization, InferStatisticsShapeWithSymbolicDims) {
  auto types = atest::infer_types(
      "LayerNormalization", 17,
      {atest::sym_type(DType::kFloat16, {Dim::symbolic("N"), Dim::symbolic("T"), 4}),
       atest::sym_type(DType::kFloat16, {4})},
      {}, 3);
  ASSERT_TRUE(types.is_ok()) << types.status().to_string();
  EXPECT_EQ((*types)[0].to_string(), "float16[N,T,4]");
  EXPECT_EQ((*types)[1].to_string(), "float32[N,T,1]");
  EXPECT_EQ((*types)[2].to_string(), "float32[N,T,1]");
}

}  // namespace ew
