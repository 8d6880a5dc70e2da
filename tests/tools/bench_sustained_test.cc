// edgewise bench --device PROFILE --sustained SECONDS through the CLI.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::string model(const std::string& name) { return test::shared_models_dir() + "/" + name + "/model.onnx"; }

// The bundled Raspberry Pi 4 profile with a worse heatsink (R x 3), so that a
// real model throttles; --device takes a .json path.
std::string hot_profile() {
  const fs::path path = fs::temp_directory_path() / ("ew_hot_pi4_" + std::to_string(::getpid()) + ".json");
  std::ifstream in(test::source_dir() + "/data/devices/raspberry_pi_4.json");
  nlohmann::json j = nlohmann::json::parse(in);
  j["name"] = path.stem().string();
  j["thermal"]["resistance_c_per_w"] = {{"value", 27.0}, {"source", "assumption: test, enclosed board"}};
  std::ofstream(path) << j.dump(2);
  return path.string();
}

TEST(BenchSustained, JsonOnABundledProfile) {
  EW_REQUIRE_SHARED_MODELS();
  int rc = -1;
  const std::string out = test::run_cli(
      "bench " + model("fashion_mbnet") + " --device raspberry_pi_4 --sustained 60 --json", &rc, true);
  ASSERT_EQ(rc, 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["device"], "raspberry_pi_4");
  EXPECT_EQ(j["unit"], "cpu");
  EXPECT_EQ(j["seconds"], 60);
  EXPECT_EQ(j["primary"]["operating_points"].size(), 3u);
  const auto& run = j["runs"]["primary"];
  for (const char* key : {"first_throttle_s", "recovery_s", "inferences", "mean_latency_ms", "energy_per_inference_mj",
                          "steady_state", "series", "peak_temperature_c"})
    EXPECT_TRUE(run.contains(key)) << key;
  EXPECT_EQ(run["series"]["t_s"].size(), 61u);
  EXPECT_GT(run["inferences"].get<int64_t>(), 0);
  EXPECT_GT(j["power"]["full_load_w"].get<double>(), j["power"]["static_w"].get<double>());
}

TEST(BenchSustained, ThrottlingProfileWithInt8Fallback) {
  EW_REQUIRE_SHARED_MODELS();
  const std::string profile = hot_profile();
  int rc = -1;
  const std::string out =
      test::run_cli("bench " + model("mobilenet_v2_random") + " --device " + profile + " --sustained 300 --fallback " +
                        model("mobilenetv2_12_int8") + " --accuracy 71.9,71.2 --json",
                    &rc, true);
  ASSERT_EQ(rc, 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  ASSERT_FALSE(j["runs"]["primary"]["first_throttle_s"].is_null()) << j["power"].dump();
  EXPECT_GT(j["runs"]["thermal_aware"]["fallback_inferences"].get<int64_t>(), 0);
  EXPECT_LT(j["comparison"]["mean_latency_ms"].get<double>(), 0);
  EXPECT_GT(j["comparison"]["accuracy_cost"].get<double>(), 0);

  const std::string text = test::run_cli("bench " + model("mobilenet_v2_random") + " --device " + profile +
                                             " --sustained 300 --fallback " + model("mobilenetv2_12_int8"),
                                         &rc, true);
  ASSERT_EQ(rc, 0) << text;
  for (const char* s : {"first throttle", "steady latency", "recovery", "thermal-aware vs primary", "time series"})
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  fs::remove(profile);
}

TEST(BenchSustained, BadInputFailsWithAClearMessage) {
  EW_REQUIRE_SHARED_MODELS();
  const std::string m = model("fashion_mbnet");
  const std::pair<std::string, std::string> cases[] = {
      {"--device raspberry_pi_4 --sustained -5", "positive number of seconds"},
      {"--device raspberry_pi_4 --sustained 0", "positive number of seconds"},
      {"--device raspberry_pi_4", "go with --sustained"},
      {"--sustained 60", "needs --device"},
      {"--device no_such_board --sustained 60", "no_such_board"},
      {"--device raspberry_pi_4 --sustained 60 --accuracy 70,abc --fallback " + m, "not a number"},
      {"--device raspberry_pi_4 --sustained 60 --accuracy 70,69", "no --fallback"},
      {"--device raspberry_pi_4 --sustained 60 --fallback /nonexistent.onnx", "--fallback"},
  };
  for (const auto& [args, message] : cases) {
    int rc = -1;
    const std::string out = test::run_cli("bench " + m + " " + args, &rc, true);
    EXPECT_EQ(rc, 2) << args << "\n" << out;
    EXPECT_NE(out.find(message), std::string::npos) << args << "\n" << out;
  }
}

TEST(BenchSustained, MeasuredBenchSaysWhetherRaplWasRead) {
  EW_REQUIRE_SHARED_MODELS();
  int rc = -1;
  const std::string out = test::run_cli("bench " + model("fashion_mbnet") + " --runs 3 --min-secs 0 --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  ASSERT_TRUE(j.contains("measured_energy"));
  if (!j["measured_energy"]["measured"].get<bool>()) {
    EXPECT_FALSE(j["measured_energy"]["reason"].get<std::string>().empty());
  }
}

}  // namespace
}  // namespace ew
