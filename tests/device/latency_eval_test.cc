// Evaluation protocols of the latency predictor on synthetic samples whose
// times follow a known linear law: every held-out model is predicted exactly.
#include "device/latency_eval.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ew {
namespace {

std::vector<ModelSamples> linear_samples() {
  std::vector<ModelSamples> out;
  for (int m = 0; m < 5; ++m) {
    ModelSamples ms{"model" + std::to_string(m), "", 0.01, {}};
    for (int k = 1; k <= 5; ++k) {
      KernelStep s;
      s.name = "conv" + std::to_string(k);
      s.op_pattern = "Conv";
      s.backend = "xnnpack";
      double macs = 1e5 * (k + m) * (m + 1);
      s.nodes.push_back(NodeFeatures{"Conv.3x3", Precision::kFp32, macs, 2 * macs, 4e3 * k, 100});
      s.macs = macs;
      double ms_time = (2e-6 + 20e-12 * macs + 0.2e-9 * 4e3 * k) * 1e3;
      ms.steps.push_back({s, ms_time});
      ms.measured_ms += ms_time;
    }
    out.push_back(std::move(ms));
  }
  return out;
}

DeviceProfile bundled() {
  auto p = load_device_profile("raspberry_pi_4");
  EXPECT_TRUE(p.is_ok());
  return p.is_ok() ? *p : DeviceProfile{};
}

TEST(LatencyEval, LeaveOneOutPredictsLawfulDataExactly) {
  auto r = evaluate_leave_one_out(linear_samples(), {"model0"}, bundled(), {}, 0.1);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->protocol, "leave-one-model-out");
  ASSERT_EQ(r->models.size(), 4u);  // model0 is train-only
  for (const ModelEvaluation& e : r->models) {
    EXPECT_NEAR(e.error, 0, 1e-3) << e.name;
    EXPECT_EQ(e.trained_on.size(), 4u);
  }
  EXPECT_DOUBLE_EQ(r->share_models_within, 1.0);
  EXPECT_DOUBLE_EQ(r->share_ops_within, 1.0);
  EXPECT_EQ(r->ops, 20);
  EXPECT_EQ(r->kernel_types.count("xnnpack:Conv.3x3/fp32"), 1u);
}

TEST(LatencyEval, SplitAndItsJson) {
  auto r = evaluate_split(linear_samples(), {"model0", "model1", "model2"}, {"model3", "model4"}, bundled(), {}, 0.1);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  nlohmann::json j = to_json(*r);
  for (const char* key : {"protocol", "tolerance", "models", "share_models_within", "share_ops_within",
                          "share_op_time_within", "median_abs_model_error", "median_abs_op_error", "ops", "ops_within",
                          "fallback_ops", "kernel_types"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["models"].size(), 2u);
  EXPECT_EQ(j["models"][0]["name"], "model3");
  EXPECT_TRUE(j["models"][0]["within"].get<bool>());
}

TEST(LatencyEval, BadSplitsAreErrors) {
  auto s = linear_samples();
  auto overlap = evaluate_split(s, {"model0"}, {"model0"}, bundled(), {}, 0.1);
  ASSERT_FALSE(overlap.is_ok());
  EXPECT_NE(overlap.status().message().find("both"), std::string::npos);
  auto unknown = evaluate_split(s, {"model0"}, {"nope"}, bundled(), {}, 0.1);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("no measured model named 'nope'"), std::string::npos);
  auto all_train_only = evaluate_leave_one_out(s, {"model0", "model1", "model2", "model3", "model4"}, bundled(), {}, 0.1);
  EXPECT_FALSE(all_train_only.is_ok());
}

}  // namespace
}  // namespace ew
