// edgewise select through the CLI: JSON, constraints, the HTML report (drawn
// in headless Chromium) and bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "report/headless_chromium.h"
#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("ew_select_" + std::to_string(getpid()) + "_" + name)).string();
}

// The shared fashion_mbnet and a freshly made MobileNetV2-style model: two different variants.
class SelectCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
    EW_REQUIRE_SHARED_MODELS();
    fm_ = test::shared_models_dir() + "/fashion_mbnet/model.onnx";
    mobilenet_ = temp_path("mobilenet.onnx");
    int rc = -1;
    std::string out = test::run_cli("make-model mobilenet -o " + mobilenet_ + " --resolution 32 --classes 10", &rc, true);
    ASSERT_EQ(rc, 0) << out;
  }
  void TearDown() override {
    if (!mobilenet_.empty()) fs::remove(mobilenet_);
  }
  std::string fm_, mobilenet_;
};

TEST_F(SelectCommandTest, RanksOnAProfileAndDrawsTheReport) {
  const std::string report = temp_path("select.html");
  int rc = -1;
  std::string out = test::run_cli("select --variants " + fm_ + "," + mobilenet_ +
                                      " --device raspberry_pi_4 --accuracy 0.91,0.5 --weights 1,1,1,1 --json --report " +
                                      report,
                                  &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["device"], "raspberry_pi_4");
  EXPECT_EQ(j["latency_method"], "roofline");
  ASSERT_EQ(j["variants"].size(), 2u);
  for (const auto& v : j["variants"]) {
    EXPECT_GT(v["latency_ms"].get<double>(), 0);
    EXPECT_GT(v["energy_mj"].get<double>(), 0);
    EXPECT_GT(v["param_bytes"].get<int64_t>(), 0);
    EXPECT_GT(v["arena_bytes"].get<int64_t>(), 0);
    EXPECT_GT(v["file_bytes"].get<int64_t>(), 0);
    EXPECT_EQ(v["kept"], true);
  }
  EXPECT_FALSE(j["selected"].is_null());
  EXPECT_EQ(j["report"], report);
  ASSERT_TRUE(fs::exists(report));

  EW_REQUIRE_CHROMIUM();
  test::RenderedPage page = test::render_in_chromium(report);
  EXPECT_EQ(page.exit_code, 0);
  EXPECT_EQ(page.chart_error, "");
  EXPECT_EQ(page.charts_total, 4);  // the plane and three bar charts
  EXPECT_EQ(page.charts_drawn, 4);
  fs::remove(report);
}

TEST_F(SelectCommandTest, ConstraintsRejectAndExplain) {
  int rc = -1;
  std::string out = test::run_cli("select --variants " + fm_ + "," + mobilenet_ +
                                      " --device jetson_agx_orin --accuracy 0.91,0.5 --min-accuracy 0.8 --explain",
                                  &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("REJECTED   accuracy 0.5000 < --min-accuracy 0.8"), std::string::npos) << out;
  EXPECT_NE(out.find("selected   " + fm_), std::string::npos) << out;
  // Nothing fits in 1 KiB: exit code 1, no choice.
  out = test::run_cli("select --variants " + fm_ + "," + mobilenet_ + " --device raspberry_pi_4 --max-memory-mib 0.001",
                      &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("none: every variant breaks a constraint"), std::string::npos) << out;
}

TEST_F(SelectCommandTest, HostMeasuresLatencyAndDatasetMeasuresAccuracy) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist")) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  int rc = -1;
  std::string out = test::run_cli("select --variants " + fm_ +
                                      " --device host --dataset fashion-mnist --eval-count 200 --bench-runs 3"
                                      " --bench-secs 0.01 --json",
                                  &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["latency_method"], "measured");
  EXPECT_GT(j["variants"][0]["accuracy"].get<double>(), 0.8);
  EXPECT_EQ(j["selected"], fm_);
}

TEST_F(SelectCommandTest, BadInputFailsCleanly) {
  const std::string two = " --variants " + fm_ + "," + mobilenet_;
  struct Case {
    std::string args, message;
  } cases[] = {
      {"select --variants /nonexistent/a.onnx," + fm_ + " --device raspberry_pi_4", "/nonexistent/a.onnx"},
      {"select" + two + " --device raspberry_pi_4 --accuracy 0.9", "--accuracy has 1 values for 2 variants"},
      {"select" + two + " --device raspberry_pi_4 --weights 1,1", "--weights"},
      {"select" + two + " --device raspberry_pi_4 --weights 1,x,1,1", "--weights"},
      {"select" + two + " --device no_such_board", "no_such_board"},
      {"select" + two + " --device raspberry_pi_4 --accuracy 91,50", "fraction"},
      {"select" + two + " --device raspberry_pi_4 --min-accuracy 0.9", "--min-accuracy needs"},
      {"select" + two + " --device raspberry_pi_4 --dataset cifar10", "unknown dataset"},
      {"select" + two + " --device raspberry_pi_4 --dataset fashion-mnist --accuracy 0.9,0.8", "not both"},
  };
  for (const Case& c : cases) {
    int rc = -1;
    std::string out = test::run_cli(c.args, &rc, true);
    EXPECT_EQ(rc, 2) << c.args << "\n" << out;
    EXPECT_NE(out.find(c.message), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("terminate"), std::string::npos) << out;
  }
}

TEST(SelectCommandHelpTest, HelpDefinesTheObjective) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  std::string out = test::run_cli("select --help", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("Cost = top-1 error"), std::string::npos) << out;
  EXPECT_NE(out.find("--max-energy-mj"), std::string::npos);
}

}  // namespace
}  // namespace ew
