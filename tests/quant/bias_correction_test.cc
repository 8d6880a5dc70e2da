#include "quant/bias_correction.h"

#include <gtest/gtest.h>

#include <cmath>

#include "quant/qdq_plan.h"
#include "quant/quant_params.h"
#include "quant_test_util.h"

namespace ew::quant {
namespace {

// x [1,3,4,4] -> Conv 1x1 (4, bias) -> y1;  v [1,6] -> Gemm (6x5, no bias) -> y2.
Model two_layers() {
  GraphBuilder b("two", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(3), Dim(4), Dim(4)});
  std::string v = b.input("v", DType::kFloat32, {Dim(1), Dim(6)});
  b.output(b.node(
      "Conv", {x, b.constant("w", test::pseudo_random({4, 3, 1, 1}, 1)), b.constant("b", test::pseudo_random({4}, 2))},
      {}, "conv"));
  b.output(b.node("Gemm", {v, b.constant("g", test::pseudo_random({6, 5}, 3))}, {}, "gemm"));
  auto m = b.build();
  EXPECT_TRUE(m.is_ok());
  return std::move(m).value();
}

std::vector<std::map<std::string, Tensor>> samples() {
  std::vector<std::map<std::string, Tensor>> s;
  for (uint32_t i = 0; i < 6; ++i)
    s.push_back({{"x", test::pseudo_random({1, 3, 4, 4}, 10 + i, 0.0f, 2.0f)},
                 {"v", test::pseudo_random({1, 6}, 20 + i, 0.5f, 3.0f)}});
  return s;
}

// The model with its weights replaced by their quantize -> dequantize values (what QDQ computes).
Model fake_quantized(Model m, const QuantizeOptions& o) {
  for (auto& n : m.graph.nodes) {
    Tensor& w = m.graph.initializers.at(n.inputs[1]);
    const int axis = weight_axis(n, w, o, m.opset(""));
    auto q = quantize_tensor(w, o.weight_type, axis, o.symmetric_weights, o.reduce_range);
    auto dq = dequantize_tensor(*q, axis);
    w = *dq;
  }
  return m;
}

// Mean over samples and positions of each output channel (axis 1; batch is 1).
std::vector<std::vector<double>> mean_outputs(const Model& m) {
  std::vector<std::vector<double>> mean;
  auto all = samples();
  for (const auto& f : all) {
    auto out = test::run_model(m, f);
    mean.resize(out.size());
    for (size_t k = 0; k < out.size(); ++k) {
      const int64_t channels = out[k].dim(1), per = out[k].numel() / channels;
      mean[k].resize(channels, 0.0);
      for (int64_t i = 0; i < out[k].numel(); ++i)
        mean[k][i / per] += out[k].data<float>()[i] / double(all.size() * per);
    }
  }
  return mean;
}

double max_mean_error(const Model& a, const Model& b) {
  auto ma = mean_outputs(a), mb = mean_outputs(b);
  double worst = 0;
  for (size_t k = 0; k < ma.size(); ++k)
    for (size_t i = 0; i < ma[k].size(); ++i) worst = std::max(worst, std::fabs(ma[k][i] - mb[k][i]));
  return worst;
}

TEST(BiasCorrection, RemovesTheMeanShiftOfWeightQuantization) {
  QuantizeOptions o;
  o.per_channel = false;
  Model m = two_layers();
  auto inputs = bias_correction_inputs(m, o);
  EXPECT_EQ(inputs, (std::map<std::string, int>{{"v", 1}, {"x", 1}}));
  test::VectorSource data(samples());
  auto stats = collect_channel_stats(m, data, inputs);
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  Model corrected = m;
  auto n = bias_correction(corrected, *stats, o);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(corrected.graph.nodes[1].inputs.size(), 3u);  // Gemm got a bias
  const double before = max_mean_error(fake_quantized(m, o), m);
  const double after = max_mean_error(fake_quantized(corrected, o), m);
  EXPECT_LT(after, 1e-4);
  EXPECT_LT(after, before);
}

TEST(BiasCorrection, MissingStatsIsAnError) {
  Model m = two_layers();
  auto n = bias_correction(m, {}, {});
  EXPECT_FALSE(n.is_ok());
}

TEST(ChannelStats, MeanAndAbsMaxAlongAxis) {
  ChannelStats s;
  ASSERT_TRUE(accumulate_channel_stats(test::make_f32({1, 2, 2}, {1, -3, 2, 4}), 1, s).is_ok());
  EXPECT_EQ(s.mean(), (std::vector<double>{-1.0, 3.0}));
  EXPECT_EQ(s.abs_max, (std::vector<float>{3.0f, 4.0f}));
  ChannelStats last;
  ASSERT_TRUE(accumulate_channel_stats(test::make_f32({2, 2}, {1, -3, 2, 4}), -1, last).is_ok());
  EXPECT_EQ(last.mean(), (std::vector<double>{1.5, 0.5}));
  EXPECT_FALSE(accumulate_channel_stats(test::make_f32({2}, {1, 2}), 3, last).is_ok());
}

}  // namespace
}  // namespace ew::quant
