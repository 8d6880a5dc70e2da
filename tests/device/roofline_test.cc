#include "device/roofline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "ops/shape_inference.h"
#include "test_util.h"

namespace ew {
namespace {

std::vector<OpCost> costs_of(const std::string& name) {
  auto m = load_onnx(test::shared_models_dir() + "/" + name + "/model.onnx");
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  bind_symbolic_dims(*m, {}, 1);
  EXPECT_TRUE(optimize_model(*m, 2).is_ok());
  EXPECT_TRUE(infer_shapes(*m).is_ok());
  return op_costs(*m);
}

DeviceProfile profile(const std::string& name) {
  auto p = load_device_profile(name);
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  return p.is_ok() ? *p : DeviceProfile{};
}

TEST(OpCost, ResNet18CountsMacsBytesAndWeights) {
  EW_REQUIRE_SHARED_MODELS();
  const auto costs = costs_of("resnet18_random");
  int64_t macs = 0, params = 0;
  for (const OpCost& c : costs) {
    EXPECT_TRUE(c.exact) << c.node;
    EXPECT_EQ(c.precision, Precision::kFp32) << c.node;
    macs += c.macs;
    params += c.param_bytes;
    if (c.op_type == "FusedConv") EXPECT_GT(c.bytes_read, c.param_bytes) << c.node;  // weights and activations
  }
  EXPECT_NEAR(static_cast<double>(macs), 1.81e9, 0.02e9);
  EXPECT_NEAR(static_cast<double>(params), 46.7e6, 0.3e6);  // 11.7 M float parameters
}

TEST(Roofline, FasterDeviceIsFasterAndEnergyAddsUp) {
  EW_REQUIRE_SHARED_MODELS();
  const auto costs = costs_of("resnet18_random");
  const ModelPrediction pi = predict_roofline(costs, profile("raspberry_pi_4"));
  const ModelPrediction orin = predict_roofline(costs, profile("jetson_agx_orin"));
  EXPECT_GT(pi.latency_s, 10 * orin.latency_s);
  for (const ModelPrediction* p : {&pi, &orin}) {
    EXPECT_TRUE(p->exact);
    EXPECT_NEAR(p->energy_j, p->dynamic_energy_j + p->static_energy_j, 1e-12);
    double sum = 0;
    for (const OpPrediction& o : p->ops) {
      EXPECT_GE(o.latency_s, std::max(o.compute_s, o.memory_s) - 1e-15) << o.node;
      sum += o.latency_s;
    }
    EXPECT_NEAR(sum, p->latency_s, 1e-12);
  }
}

TEST(Roofline, Int8OpsRunAtTheInt8Peak) {
  EW_REQUIRE_SHARED_MODELS();
  const auto costs = costs_of("mobilenetv2_12_int8");
  const DeviceProfile orin = profile("jetson_agx_orin");
  const ModelPrediction p = predict_roofline(costs, orin);
  int int8_convs = 0;
  for (const OpPrediction& o : p.ops) {
    if (o.op_type != "QLinearConv") continue;
    EXPECT_EQ(o.precision, Precision::kInt8) << o.node;
    ++int8_convs;
  }
  EXPECT_EQ(int8_convs, 52);
  EXPECT_GT(orin.peak_ops(Precision::kInt8), orin.peak_ops(Precision::kFp32));
}

TEST(PredictCommand, PrintsJsonForABundledDevice) {
  EW_REQUIRE_SHARED_MODELS();
  int rc = -1;
  const std::string out = test::run_cli(
      "predict " + test::shared_models_dir() + "/fashion_mbnet/model.onnx --device raspberry_pi_5 --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("\"latency_ms\""), std::string::npos);
  EXPECT_NE(out.find("\"energy_mj\""), std::string::npos);
  test::run_cli("predict " + test::shared_models_dir() + "/fashion_mbnet/model.onnx --device nowhere", &rc);
  EXPECT_EQ(rc, 2);
}

// Memory: the parameters plus the planner's peak activation arena, against the device.
TEST(PredictCommand, MemoryIsParametersPlusPeakActivations) {
  EW_REQUIRE_SHARED_MODELS();
  int rc = -1;
  const std::string model = test::shared_models_dir() + "/resnet18_random/model.onnx";
  const nlohmann::json pi = nlohmann::json::parse(test::run_cli("predict " + model + " --device raspberry_pi_4 --json", &rc));
  ASSERT_EQ(rc, 0);
  const nlohmann::json& m = pi["memory"];
  EXPECT_GT(m["param_bytes"].get<int64_t>(), 11'000'000 * 4);  // 11.7 M fp32 parameters
  EXPECT_GT(m["arena_bytes"].get<int64_t>(), 0);
  EXPECT_EQ(m["total_bytes"].get<int64_t>(), m["param_bytes"].get<int64_t>() + m["arena_bytes"].get<int64_t>());
  EXPECT_TRUE(m["fits"].get<bool>());
  const nlohmann::json mcu = nlohmann::json::parse(test::run_cli("predict " + model + " --device mcu --json", &rc));
  ASSERT_EQ(rc, 0);
  EXPECT_FALSE(mcu["memory"]["fits"].get<bool>());  // 1 MiB of SRAM
}

}  // namespace
}  // namespace ew
