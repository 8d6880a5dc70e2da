#include "report/sustained_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "device/sustained_test_util.h"
#include "report/headless_chromium.h"

namespace ew::report {
namespace {

namespace fs = std::filesystem;

// A throttling run with an INT8 fallback on the synthetic test board.
SustainedResult throttling_run() {
  DeviceProfile board = test::test_board();
  SustainedVariant primary{"fp32.onnx", test::one_op_model(board, 2'000'000'000, 1'000'000), 0.92};
  SustainedVariant fallback{"int8.onnx", test::one_op_model(board, 2'000'000'000, 250'000, Precision::kInt8), 0.91};
  SustainedOptions options;
  options.seconds = 300;
  auto r = simulate_sustained(board, primary, fallback, options);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return *r;
}

TEST(SustainedReport, HasTheComparisonTableAndFourCharts) {
  SustainedResult r = throttling_run();
  ASSERT_TRUE(r.primary_run.first_throttle_s.has_value());
  HtmlReport page = sustained_report(r);
  EXPECT_EQ(page.chart_count(), 4);  // temperature/clock x 2 policies, latency, power
  auto html = page.render("/* no chart.js */");
  ASSERT_TRUE(html.is_ok()) << html.status().to_string();
  for (const char* s : {"thermal-aware", "primary only", "first throttle", "int8.onnx while hot", "throttle at 60"})
    EXPECT_NE(html->find(s), std::string::npos) << s;
}

TEST(SustainedReport, WithoutFallbackHasOnePolicy) {
  DeviceProfile board = test::test_board(1.0);  // too well cooled to throttle
  SustainedVariant primary{"fp32.onnx", test::one_op_model(board, 1'000'000, 1000), std::nullopt};
  SustainedOptions options;
  options.seconds = 60;
  auto r = simulate_sustained(board, primary, std::nullopt, options);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  HtmlReport page = sustained_report(*r);
  EXPECT_EQ(page.chart_count(), 3);
  auto html = page.render("");
  ASSERT_TRUE(html.is_ok());
  EXPECT_EQ(html->find("thermal-aware"), std::string::npos);
  EXPECT_NE(html->find("never"), std::string::npos);  // never throttled
}

TEST(SustainedReport, ChartsDrawInHeadlessChromium) {
  const std::string out = (fs::temp_directory_path() / ("ew-sustained-" + std::to_string(getpid()) + ".html")).string();
  Status s = sustained_report(throttling_run()).write(out);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  test::RenderedPage page = test::render_in_chromium(out);
  EXPECT_EQ(page.exit_code, 0) << "chromium failed or timed out";
  EXPECT_EQ(page.chart_error, "");
  EXPECT_EQ(page.charts_total, 4);
  EXPECT_EQ(page.charts_drawn, 4);
  fs::remove(out);
}

}  // namespace
}  // namespace ew::report
