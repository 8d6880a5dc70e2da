#include "quant/smooth_quant.h"

#include <gtest/gtest.h>

#include "passes/pass_manager.h"
#include "quant_test_util.h"

namespace ew::quant {
namespace {

Tensor outlier_input(uint32_t seed) {
  Tensor t = test::pseudo_random({2, 3, 8}, seed);
  for (int64_t i = 0; i < t.numel(); i += 8) t.data<float>()[i + 5] *= 50.0f;  // channel 5 is an outlier
  return t;
}

std::vector<std::map<std::string, Tensor>> samples() {
  return {{{"x", outlier_input(1)}}, {{"x", outlier_input(2)}}};
}

// x [2,3,8] -> MatMul(W1 [8,4]) and Gemm-free MatMul(W2 [8,5]); optional LayerNormalization first; plus a Relu reader.
Model attention_like(bool layer_norm, bool extra_reader) {
  GraphBuilder b("smooth", 17);
  std::string x = b.input("x", DType::kFloat32, {Dim(2), Dim(3), Dim(8)});
  std::string h = x;
  if (layer_norm)
    h = b.node("LayerNormalization", {x, b.constant("gamma", test::pseudo_random({8}, 3, 0.5f, 1.5f)),
                                      b.constant("beta", test::pseudo_random({8}, 4))}, {}, "ln");
  b.output(b.node("MatMul", {h, b.constant("w1", test::pseudo_random({8, 4}, 5))}, {}, "q"));
  b.output(b.node("MatMul", {h, b.constant("w2", test::pseudo_random({8, 5}, 6))}, {}, "k"));
  if (extra_reader) b.output(b.node("Relu", {h}));
  auto m = b.build();
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return std::move(m).value();
}

int count(const Model& m, const std::string& op) {
  auto h = op_histogram(m.graph);
  return h.count(op) ? h.at(op) : 0;
}

void check_smoothing(bool layer_norm, bool extra_reader, int want_muls) {
  Model m = attention_like(layer_norm, extra_reader);
  Model before = m;
  auto inputs = smooth_quant_inputs(m);
  ASSERT_EQ(inputs.size(), 1u);
  test::VectorSource data(samples());
  auto stats = collect_channel_stats(m, data, inputs);
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  auto n = smooth_quant(m, *stats, 0.5f);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(count(m, "Mul"), want_muls);
  for (const auto& f : samples()) test::expect_near_outputs(test::run_model(m, f), test::run_model(before, f), 1e-4);
  // The outlier channel of the smoothed activation shrank relative to the others.
  test::VectorSource again(samples());
  auto after = collect_channel_stats(m, again, smooth_quant_inputs(m));
  ASSERT_TRUE(after.is_ok());
  const auto& a = after->begin()->second.abs_max;
  const auto& b = stats->begin()->second.abs_max;
  EXPECT_LT(a[5] / a[0], b[5] / b[0]);
}

TEST(SmoothQuant, InsertsMulAndKeepsOutputs) { check_smoothing(false, false, 1); }
TEST(SmoothQuant, FoldsIntoLayerNorm) { check_smoothing(true, false, 0); }
TEST(SmoothQuant, OtherReaderForcesMul) { check_smoothing(true, true, 1); }

TEST(SmoothQuant, RejectsBadAlpha) {
  Model m = attention_like(false, false);
  EXPECT_FALSE(smooth_quant(m, {}, 0.0f).is_ok());
  EXPECT_FALSE(smooth_quant(m, {}, 1.5f).is_ok());
}

}  // namespace
}  // namespace ew::quant
