// edgewise latency-model and predict --method calibrated through the CLI, on
// small generated models with one quick measuring pass (no timing assertions).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

class LatencyModelCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs each test in its own process, in parallel.
    dir_ = fs::temp_directory_path() / ("ew_latency_model_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    int rc = -1;
    for (int r : {32, 40, 48}) {
      std::string out = test::run_cli("make-model mobilenet --resolution " + std::to_string(r) + " -o " +
                                          (dir_ / ("mb" + std::to_string(r) + ".onnx")).string(), &rc);
      ASSERT_EQ(rc, 0) << out;
    }
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string path(const std::string& f) { return (dir_ / f).string(); }
  static constexpr const char* kQuick = " --rounds 1 --runs 1 --warmup 0";
  static fs::path dir_;
  void SetUp() override {
    if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  }
};
fs::path LatencyModelCommand::dir_;

TEST_F(LatencyModelCommand, EvalJsonHasTheFields) {
  int rc = -1;
  std::string out = test::run_cli("latency-model eval " + path("mb32.onnx") + " " + path("mb40.onnx") + " " +
                                      path("mb48.onnx") + kQuick + " --loo --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["protocol"], "leave-one-model-out");
  for (const char* key : {"share_models_within", "share_ops_within", "median_abs_model_error", "median_abs_op_error",
                          "models", "kernel_types", "tolerance"})
    EXPECT_TRUE(j.contains(key)) << key;
  ASSERT_EQ(j["models"].size(), 3u);
  for (const auto& m : j["models"]) {
    EXPECT_GT(m["measured_ms"].get<double>(), 0);
    EXPECT_GT(m["predicted_ms"].get<double>(), 0);
    EXPECT_EQ(m["trained_on"].size(), 2u);
  }
}

TEST_F(LatencyModelCommand, CollectFitPredictAndSplitEval) {
  int rc = -1;
  std::string samples = path("samples.json"), model = path("latency_model.json");
  std::string out = test::run_cli("latency-model collect " + dir_.string() + kQuick + " -o " + samples, &rc, true);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("mb40"), std::string::npos) << out;
  out = test::run_cli("latency-model fit --samples " + samples + " -o " + model, &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("wrote " + model), std::string::npos) << out;
  out = test::run_cli("predict " + path("mb48.onnx") + " --method calibrated --latency-model " + model + " --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["method"], "calibrated");
  EXPECT_GT(j["latency_ms"].get<double>(), 0);
  ASSERT_FALSE(j["steps"].empty());
  EXPECT_TRUE(j["steps"][0].contains("kernel_type"));
  out = test::run_cli("predict " + path("mb48.onnx") + " --method calibrated --latency-model " + model, &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("calibrated"), std::string::npos) << out;
  out = test::run_cli("latency-model eval --samples " + samples + " --train mb32,mb40 --test mb48", &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("models within ±10%"), std::string::npos) << out;
}

TEST_F(LatencyModelCommand, BadInputIsAClearError) {
  int rc = -1;
  std::string bad = path("bad_model.json");
  std::ofstream(bad) << R"({"format": "edgewise-latency-model", "version": 2})";
  std::string out = test::run_cli("predict " + path("mb32.onnx") + " --method calibrated --latency-model " + bad, &rc, true);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("host_fingerprint"), std::string::npos) << out;
  out = test::run_cli("predict " + path("mb32.onnx") + " --method calibrated --device raspberry_pi_4", &rc, true);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("this host only"), std::string::npos) << out;
  out = test::run_cli("latency-model eval " + path("mb32.onnx"), &rc, true);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("--loo"), std::string::npos) << out;
  out = test::run_cli("latency-model fit /nonexistent/dir", &rc, true);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("/nonexistent/dir"), std::string::npos) << out;
  out = test::run_cli("latency-model --help", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("collect"), std::string::npos) << out;
}

}  // namespace
}  // namespace ew
