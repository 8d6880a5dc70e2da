// edgewise bench --report: the HTML page's charts draw in headless Chromium,
// and --json names the report and the modelled energy.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "report/headless_chromium.h"
#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

TEST(BenchReportTest, WritesAReportWhoseChartsDraw) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  EW_REQUIRE_SHARED_MODELS();
  const std::string model = test::shared_models_dir() + "/fashion_mbnet/model.onnx";
  const std::string report = (fs::temp_directory_path() / ("ew_bench_" + std::to_string(getpid()) + ".html")).string();
  int rc = -1;
  std::string out = test::run_cli("bench " + model + " --runs 30 --min-secs 0 --json --report " + report, &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["report"], report);
  EXPECT_EQ(j["energy_mj"]["device"], "host");
  EXPECT_GT(j["energy_mj"]["at_p50"].get<double>(), 0);
  EXPECT_GE(j["energy_mj"]["at_p50"].get<double>(), j["energy_mj"]["dynamic"].get<double>());
  ASSERT_TRUE(fs::exists(report));

  EW_REQUIRE_CHROMIUM();
  test::RenderedPage page = test::render_in_chromium(report);
  EXPECT_EQ(page.exit_code, 0);
  EXPECT_EQ(page.chart_error, "");
  // Histogram, latency per run, percentiles over time, percentiles, memory, energy.
  EXPECT_EQ(page.charts_total, 6);
  EXPECT_EQ(page.charts_drawn, 6);
  fs::remove(report);
}

TEST(BenchReportTest, UnwritableReportFailsCleanly) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  EW_REQUIRE_SHARED_MODELS();
  const std::string model = test::shared_models_dir() + "/fashion_mbnet/model.onnx";
  int rc = -1;
  std::string out = test::run_cli("bench " + model + " --runs 2 --min-secs 0 --report /nonexistent/dir/r.html", &rc, true);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("/nonexistent/dir/r.html"), std::string::npos) << out;
}

}  // namespace
}  // namespace ew
