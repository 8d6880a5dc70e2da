// The calibrated latency predictor on synthetic samples: the fit recovers
// known per-kernel coefficients, extrapolates across shapes, unseen kernel
// types fall back to the roofline, and the model file round-trips and rejects
// malformed input with clear messages. No timing assertions.
#include "device/latency_predictor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "device/host_profile.h"
#include "device/nnls.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

DeviceProfile bundled() {
  auto p = load_device_profile("raspberry_pi_4");
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  return p.is_ok() ? *p : DeviceProfile{};
}

NodeFeatures node(const std::string& cls, double macs, double bytes) {
  return NodeFeatures{cls, Precision::kFp32, macs, 2 * macs, bytes, 0};  // no per-element term in the truth
}

KernelStep step(const std::string& backend, std::vector<NodeFeatures> nodes, double bytes) {
  KernelStep s;
  s.name = "n" + std::to_string(nodes.size());
  s.op_pattern = "Conv";
  s.backend = backend;
  for (const NodeFeatures& n : nodes) s.macs += n.macs, s.flops += n.flops;
  s.nodes = std::move(nodes);
  s.bytes = bytes;
  return s;
}

// Known truth: a per-step overhead, 10 ps per 1x1 MAC, 40 ps per depthwise MAC, 0.1 ns per byte.
double truth_seconds(const KernelStep& s) {
  double t = 3e-6;
  for (const NodeFeatures& n : s.nodes) t += (n.op_class == "Conv.dw" ? 40e-12 : 10e-12) * n.macs + 0.1e-9 * n.bytes;
  return t;
}

std::vector<ModelSamples> synthetic_samples() {
  std::vector<ModelSamples> out;
  for (int m = 0; m < 4; ++m) {
    ModelSamples ms{"synthetic" + std::to_string(m), "", 0, {}};
    for (int k = 1; k <= 6; ++k) {
      double scale = (m + 1) * k;
      KernelStep a = step("xnnpack", {node("Conv.1x1", 1e5 * scale, 3e3 * (7 - k)), node("Conv.dw", 2e4 * k, 1e3 * m)}, 0);
      KernelStep b = step("xnnpack", {node("Conv.1x1", 5e4 * (m + 2), 2e3 * k)}, 0);
      for (const KernelStep& s : {a, b}) {
        ms.steps.push_back({s, truth_seconds(s) * 1e3});
        ms.measured_ms += truth_seconds(s) * 1e3;
      }
    }
    out.push_back(std::move(ms));
  }
  return out;
}

TEST(Nnls, SolvesAndKeepsCoefficientsNonNegative) {
  // b = 2*x0 + 3*x1 exactly.
  std::vector<std::vector<double>> a = {{1, 0}, {0, 1}, {1, 1}, {2, 1}};
  std::vector<double> b = {2, 3, 5, 7};
  auto x = solve_nnls(a, b);
  EXPECT_NEAR(x[0], 2, 1e-6);
  EXPECT_NEAR(x[1], 3, 1e-6);
  // Unconstrained least squares would make x1 negative; NNLS pins it at 0.
  auto y = solve_nnls({{1, 1}, {1, 2}, {1, 3}}, {3, 2, 1});
  EXPECT_GE(y[1], 0);
  EXPECT_NEAR(y[1], 0, 1e-9);
  EXPECT_GT(y[0], 0);
}

TEST(LatencyPredictor, FitRecoversKnownCoefficients) {
  auto samples = synthetic_samples();
  LatencyFitOptions exact;  // no shrinkage: the data follow the law exactly
  exact.const_ridge = exact.work_ridge = 0;
  auto m = fit_latency_model(samples, bundled(), exact);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_NEAR(m->coefficients["macs|xnnpack|Conv.1x1/fp32"], 10e-12, 1e-14);
  EXPECT_NEAR(m->coefficients["macs|xnnpack|Conv.dw/fp32"], 40e-12, 1e-13);
  EXPECT_NEAR(m->coefficients["bytes|xnnpack|Conv.1x1/fp32"], 0.1e-9, 1e-12);
  EXPECT_EQ(m->trained_on.size(), 4u);
  // With the default shrinkage of per-call constants the fit stays close.
  auto shrunk = fit_latency_model(samples, bundled());
  ASSERT_TRUE(shrunk.is_ok());
  for (const ModelSamples& ms : samples)
    for (const StepSample& s : ms.steps)
      EXPECT_NEAR(predict_step_seconds(*shrunk, s.step) * 1e3 / s.measured_ms, 1.0, 0.05) << s.step.name;
  // Extrapolates to shapes far outside the training range.
  KernelStep big = step("xnnpack", {node("Conv.1x1", 5e7, 4e5), node("Conv.dw", 3e6, 2e5)}, 0);
  bool fallback = true;
  double t = predict_step_seconds(*m, big, &fallback);
  EXPECT_FALSE(fallback);
  EXPECT_NEAR(t / truth_seconds(big), 1.0, 1e-4);
}

TEST(LatencyPredictor, UnseenKernelTypeFallsBackToRoofline) {
  auto m = fit_latency_model(synthetic_samples(), bundled());
  ASSERT_TRUE(m.is_ok());
  NodeFeatures softmax{"Softmax", Precision::kFp32, 0, 1e6, 8e6, 1e6};
  KernelStep s = step("softmax_rows", {softmax}, 8e6);
  bool fallback = false;
  double t = predict_step_seconds(*m, s, &fallback);
  EXPECT_TRUE(fallback);
  double roof = std::max(1e6 / m->peak_ops[Precision::kFp32], 8e6 / m->bandwidth);
  EXPECT_NEAR(t, roof / m->efficiency, 1e-12);
  LatencyPrediction p = predict_latency(*m, {s});
  EXPECT_EQ(p.fallback_steps, 1);
  EXPECT_TRUE(p.steps[0].fallback);
}

TEST(LatencyPredictor, ViewStepsCostOnlyTheirFittedOverhead) {
  auto terms = step_terms(step("view", {node("Reshape", 0, 100)}, 100));
  EXPECT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms.count("step|view"), 1u);
}

TEST(LatencyPredictor, TermsSplitWeightsLayoutAndColdCaches) {
  NodeFeatures conv = node("Conv.3x3", 1e6, 5e4);
  conv.param_bytes = 3e4;
  conv.out_elems = 100;
  KernelStep s = step("xnnpack", {conv}, 5e4);
  s.layout_bytes = 2e4;
  auto warm = step_terms(s);
  EXPECT_DOUBLE_EQ(warm.at("bytes|xnnpack|Conv.3x3/fp32"), 2e4);  // activations only
  EXPECT_DOUBLE_EQ(warm.at("wbytes|xnnpack|Conv.3x3/fp32"), 3e4);
  EXPECT_DOUBLE_EQ(warm.at("elems|xnnpack|Conv.3x3/fp32"), 100);
  EXPECT_DOUBLE_EQ(warm.at("layout_bytes|xnnpack"), 2e4);
  EXPECT_EQ(warm.count("cold_wbytes|xnnpack|Conv.3x3/fp32"), 0u);
  s.model_weight_bytes = 40e6;  // past the last-level cache: weights run cold
  EXPECT_DOUBLE_EQ(step_terms(s).at("cold_wbytes|xnnpack|Conv.3x3/fp32"), 3e4);
}

TEST(LatencyPredictor, Im2colConvolutionsShareAKernelTypeAndCountGatheredElements) {
  // 3x3, 16 -> 16 channels, 128x128 output, int8: weights 16 x (144 + 4-byte bias).
  NodeFeatures conv{"Conv.3x3", Precision::kInt8, 16384.0 * 16 * 144, 0, 5e5, 16384.0 * 16, 16 * 148};
  auto terms = step_terms(step("int8_gemm_conv", {conv}, 5e5));
  EXPECT_EQ(terms.count("macs|int8_gemm_conv|Conv.3x3/int8"), 0u);
  EXPECT_DOUBLE_EQ(terms.at("macs|int8_gemm_conv|Conv.kxk/int8"), conv.macs);
  EXPECT_DOUBLE_EQ(terms.at("im2col|int8_gemm_conv|Conv.kxk/int8"), 16384.0 * 144);  // pixels x k*k*in_channels
  conv.op_class = "Conv.1x1";  // a 1x1 convolution gathers nothing
  EXPECT_EQ(step_terms(step("int8_gemm_conv", {conv}, 5e5)).count("im2col|int8_gemm_conv|Conv.1x1/int8"), 0u);
  conv.op_class = "Conv.3x3";  // XNNPACK uses an indirection buffer: no im2col term, its own type
  conv.precision = Precision::kFp32;
  auto xnn = step_terms(step("xnnpack", {conv}, 5e5));
  EXPECT_EQ(xnn.count("im2col|xnnpack|Conv.3x3/fp32"), 0u);
  EXPECT_EQ(xnn.count("macs|xnnpack|Conv.3x3/fp32"), 1u);
}

TEST(LatencyPredictor, EmptySamplesAreAnError) {
  auto m = fit_latency_model({}, bundled());
  ASSERT_FALSE(m.is_ok());
  EXPECT_NE(m.status().message().find("no measured steps"), std::string::npos);
}

TEST(LatencyPredictor, JsonRoundTrip) {
  auto m = fit_latency_model(synthetic_samples(), bundled());
  ASSERT_TRUE(m.is_ok());
  const std::string path = (fs::temp_directory_path() / "ew_latency_model_roundtrip.json").string();
  ASSERT_TRUE(save_latency_model(*m, path).is_ok());
  auto back = load_latency_model(path);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->coefficients.size(), m->coefficients.size());
  EXPECT_EQ(back->support, m->support);
  EXPECT_EQ(back->trained_on, m->trained_on);
  EXPECT_EQ(back->host_fingerprint, host_fingerprint());
  KernelStep s = step("xnnpack", {node("Conv.1x1", 3e6, 1e4)}, 0);
  EXPECT_NEAR(predict_step_seconds(*back, s), predict_step_seconds(*m, s), 1e-12);
  fs::remove(path);
}

TEST(LatencyPredictor, MalformedModelFilesGiveClearErrors) {
  auto m = fit_latency_model(synthetic_samples(), bundled());
  ASSERT_TRUE(m.is_ok());
  nlohmann::json good = to_json(*m);
  struct Case {
    std::function<void(nlohmann::json&)> edit;
    const char* message;
  };
  std::vector<Case> cases = {
      {[](nlohmann::json& j) { j["format"] = "something-else"; }, "not an edgewise latency model"},
      {[](nlohmann::json& j) { j["version"] = 99; }, "version 99 is not supported"},
      {[](nlohmann::json& j) { j["version"] = 1; }, "version 1 is not supported"},
      {[](nlohmann::json& j) { j["coefficients_s"]["macs|x|Conv.1x1/fp32"] = -1; }, "must be a non-negative number"},
      {[](nlohmann::json& j) { j.erase("support"); }, "'support' must be an object"},
      {[](nlohmann::json& j) { j["fallback"]["efficiency"] = 0; }, "fallback.efficiency"},
      {[](nlohmann::json& j) { j["fallback"]["peak_gops"]["fp64"] = 1; }, "fp64"},
      {[](nlohmann::json& j) { j["run_overhead_ms"] = "x"; }, "run_overhead_ms"},
      // Fields of an unexpected JSON type (found by fuzz/config_json_fuzz): an error, not an exception.
      {[](nlohmann::json& j) { j["format"] = nlohmann::json::object(); }, "malformed latency model"},
      {[](nlohmann::json& j) { j["training_steps"] = "many"; }, "malformed latency model"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = good;
    c.edit(j);
    auto r = latency_model_from_json(j, "bad.json");
    ASSERT_FALSE(r.is_ok()) << c.message;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("bad.json"), std::string::npos) << r.status().message();
  }
  const std::string path = (fs::temp_directory_path() / "ew_latency_model_garbage.json").string();
  std::ofstream(path) << "{ not json";
  auto garbage = load_latency_model(path);
  ASSERT_FALSE(garbage.is_ok());
  EXPECT_NE(garbage.status().message().find("not valid JSON"), std::string::npos);
  fs::remove(path);
  auto missing = load_latency_model("/nonexistent/latency_model.json");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("latency-model fit"), std::string::npos);
}

TEST(LatencyPredictor, ModelFromAnotherMachineIsRejected) {
  auto m = fit_latency_model(synthetic_samples(), bundled());
  ASSERT_TRUE(m.is_ok());
  m->host_fingerprint = "Some Other CPU|64|probe2";
  const std::string path = (fs::temp_directory_path() / "ew_latency_model_other_host.json").string();
  ASSERT_TRUE(save_latency_model(*m, path).is_ok());
  auto r = load_host_latency_model(path);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("another machine"), std::string::npos) << r.status().message();
  fs::remove(path);
}

TEST(LatencyPredictor, DefaultPathSitsBesideTheHostProfileCache) {
  std::string host = default_host_profile_cache_path();
  if (host.empty()) GTEST_SKIP() << "no HOME";
  EXPECT_EQ(fs::path(default_latency_model_path()).parent_path(), fs::path(host).parent_path());
}

}  // namespace
}  // namespace ew
