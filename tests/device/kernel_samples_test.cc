// Kernel features read from a real execution plan, sample collection (no
// timing assertions: only that every step got a non-negative time) and the
// samples file's round trip and errors.
#include "device/kernel_samples.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "device/host_profile.h"
#include "ir/onnx_export.h"
#include "models/mobilenet.h"
#include "runtime/session.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::string small_mobilenet(const std::string& file, int64_t resolution) {
  MobileNetConfig c;
  c.resolution = resolution;
  auto m = build_mobilenet(c);
  EXPECT_TRUE(m.is_ok());
  std::string path = (fs::temp_directory_path() / file).string();
  EXPECT_TRUE(save_onnx(*m, path).is_ok());
  return path;
}

TEST(KernelFeatures, StepsOfAPlanCarryBackendClassesAndCost) {
  std::string path = small_mobilenet("ew_kernel_features_mbnet.onnx", 32);
  auto steps = model_kernel_steps(path, {{"N", 1}});
  ASSERT_TRUE(steps.is_ok()) << steps.status().to_string();
  ASSERT_FALSE(steps->empty());
  double macs = 0;
  bool depthwise = false, pointwise = false, weights = false, layout = false;
  for (const KernelStep& s : *steps) {
    layout |= (s.backend == "xnnpack" || s.backend == "onednn") && s.layout_bytes > 0;
    EXPECT_FALSE(s.backend.empty());
    EXPECT_FALSE(s.nodes.empty()) << s.name;
    macs += s.macs;
    for (const NodeFeatures& n : s.nodes) {
      depthwise |= n.op_class == "Conv.dw";
      pointwise |= n.op_class == "Conv.1x1";
      weights |= n.param_bytes > 0 && n.param_bytes < n.bytes;
    }
    if (s.backend != "view") {
      EXPECT_GT(s.bytes, 0) << s.name;
    }
  }
  EXPECT_TRUE(depthwise);
  EXPECT_TRUE(pointwise);
  EXPECT_TRUE(weights);
  EXPECT_TRUE(layout);  // the NCHW input enters a backend's partition (XNNPACK or oneDNN)
  EXPECT_GT(macs, 1e5);
  fs::remove(path);
}

TEST(KernelSamples, CollectTimesEveryStep) {
  std::string a = small_mobilenet("ew_kernel_samples_a.onnx", 32);
  std::string b = small_mobilenet("ew_kernel_samples_b.onnx", 40);
  CollectOptions o;
  o.rounds = 2;
  o.runs = 1;
  o.warmup = 0;
  int calls = 0;
  auto s = collect_samples({a, b}, o, [&](int, int, int, int) { ++calls; });
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(calls, 4);  // 2 models x 2 passes
  EXPECT_EQ((*s)[0].name, "ew_kernel_samples_a");
  auto steps = model_kernel_steps(a);
  ASSERT_TRUE(steps.is_ok());
  EXPECT_EQ((*s)[0].steps.size(), steps->size());
  for (const ModelSamples& m : *s) {
    EXPECT_GT(m.measured_ms, 0);
    for (const StepSample& st : m.steps) EXPECT_GE(st.measured_ms, 0) << st.step.name;
  }
  // Round trip through the samples file.
  std::string file = (fs::temp_directory_path() / "ew_kernel_samples.json").string();
  ASSERT_TRUE(save_samples(*s, file).is_ok());
  auto back = load_samples(file);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].steps.size(), (*s)[1].steps.size());
  EXPECT_EQ((*back)[1].steps[0].step.kernel_type(), (*s)[1].steps[0].step.kernel_type());
  EXPECT_DOUBLE_EQ((*back)[1].steps[0].measured_ms, (*s)[1].steps[0].measured_ms);
  for (const auto& p : {a, b, file}) fs::remove(p);
}

TEST(KernelSamples, BadInputGivesClearErrors) {
  auto none = collect_samples(std::vector<std::string>{}, CollectOptions{});
  ASSERT_FALSE(none.is_ok());
  auto missing = collect_samples({"/nonexistent/model.onnx"}, CollectOptions{});
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().to_string().find("/nonexistent/model.onnx"), std::string::npos);
  auto wrong = samples_from_json(nlohmann::json{{"format", "other"}}, "x.json");
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_NE(wrong.status().message().find("not an edgewise kernel-samples file"), std::string::npos);
  nlohmann::json j = samples_to_json({ModelSamples{"m", "", 1.0, {}}}, "fp");
  j["models"][0]["steps"] = nlohmann::json::array({nlohmann::json{{"name", "x"}}});
  auto bad_step = samples_from_json(j, "x.json");
  ASSERT_FALSE(bad_step.is_ok());
  EXPECT_NE(bad_step.status().to_string().find("models[0].steps[0]"), std::string::npos) << bad_step.status().to_string();
}

TEST(KernelSamples, DisplayNames) {
  EXPECT_EQ(model_display_name("/a/b/resnet18_random/model.onnx"), "resnet18_random");
  EXPECT_EQ(model_display_name("/tmp/mbv2_r96.onnx"), "mbv2_r96");
}

}  // namespace
}  // namespace ew
