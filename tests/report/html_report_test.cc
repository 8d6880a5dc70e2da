// HTML reports: chart configurations, escaping, the missing-Chart.js error,
// and a real render in headless Chromium checking that every chart drew.
#include "report/html_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "report/headless_chromium.h"

namespace ew::report {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("ew_report_" + std::to_string(getpid()) + "_" + name)).string();
}

TEST(ChartTest, HistogramCountsEverySample) {
  Chart c = histogram_chart("latency", "ms", {1.0, 1.1, 1.2, 2.0, 3.0, NAN}, 4);
  ASSERT_EQ(c.categories.size(), 4u);
  ASSERT_EQ(c.series.size(), 1u);
  double total = 0;
  for (double v : c.series[0].y) total += v;
  EXPECT_EQ(total, 5);            // the NaN is left out
  EXPECT_EQ(c.series[0].y[0], 3);  // 1.0, 1.1, 1.2 in [1.0, 1.5)
  EXPECT_EQ(c.series[0].y[3], 1);  // the maximum lands in the last bin
  EXPECT_TRUE(validate_chart(c).is_ok());
  Chart same = histogram_chart("one value", "ms", {2.0, 2.0}, 10);
  EXPECT_EQ(same.categories.size(), 1u);
}

TEST(ChartTest, HistogramOverflowBarCountsOutliers) {
  Chart c = histogram_chart("latency", "ms", {1.0, 1.1, 1.2, 1.3, 50.0}, 3, 1.3);
  ASSERT_EQ(c.categories.size(), 4u);  // three bins over [1.0, 1.3] and "> 1.3"
  EXPECT_EQ(c.categories.back(), "> 1.3");
  EXPECT_EQ(c.series[0].y.back(), 1);
  EXPECT_EQ(c.series[0].y[0] + c.series[0].y[1] + c.series[0].y[2], 4);
  EXPECT_EQ(histogram_chart("no outliers", "ms", {1.0, 2.0}, 2, 5.0).categories.size(), 2u);
}

TEST(ChartTest, ConfigHasTypeDataAndSecondAxis) {
  Chart c = dual_axis_line_chart("sustained", "s", {0, 1, 2}, "temperature (°C)", {40, 50, 55}, "frequency (MHz)",
                                 {1800, 1800, 1500});
  auto config = chartjs_config(c);
  ASSERT_TRUE(config.is_ok()) << config.status().to_string();
  EXPECT_EQ((*config)["type"], "line");
  EXPECT_EQ((*config)["data"]["datasets"].size(), 2u);
  EXPECT_EQ((*config)["data"]["datasets"][1]["yAxisID"], "y2");
  EXPECT_EQ((*config)["options"]["scales"]["y2"]["position"], "right");
  EXPECT_EQ((*config)["options"]["animation"], false);
  EXPECT_EQ((*config)["data"]["datasets"][0]["data"][2]["y"], 55);
}

TEST(ChartTest, BadShapesAreErrors) {
  Chart c = line_chart("t", "x", "y", {1, 2, 3}, {1, 2});
  EXPECT_EQ(validate_chart(c).code(), StatusCode::kInvalidArgument);
  Chart b = bar_chart("b", "ms", {"a", "b"}, {1});
  EXPECT_FALSE(chartjs_config(b).is_ok());
  Chart right = line_chart("r", "x", "y", {1}, {1});
  right.series[0].right_axis = true;
  EXPECT_FALSE(validate_chart(right).is_ok());
  Chart empty;
  EXPECT_FALSE(validate_chart(empty).is_ok());
}

TEST(HtmlReportTest, EscapesTextAndScriptData) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(script_safe("[\"</script>\"]"), "[\"<\\/script>\"]");
  EXPECT_EQ(nlohmann::json::parse(script_safe("[\"</script>\"]"))[0], "</script>");

  HtmlReport r("<title>");
  r.text("a < b");
  r.chart(bar_chart("bars", "ms", {"</script><script>x()</script>"}, {1}));
  auto page = r.render("/* chart.js */");
  ASSERT_TRUE(page.is_ok());
  EXPECT_EQ(page->find("</script><script>x()"), std::string::npos);
  EXPECT_NE(page->find("<h1>&lt;title&gt;</h1>"), std::string::npos);
  EXPECT_NE(page->find("a &lt; b"), std::string::npos);
  EXPECT_NE(page->find("id=\"ew-chart-0\""), std::string::npos);
  EXPECT_EQ(r.chart_count(), 1);
}

TEST(HtmlReportTest, TableWidthMustMatchHeader) {
  HtmlReport r("t");
  r.table({"a", "b"}, {{"1", "2"}, {"3"}});
  auto page = r.render("");
  ASSERT_FALSE(page.is_ok());
  EXPECT_NE(page.status().message().find("row 1"), std::string::npos);
}

TEST(HtmlReportTest, MissingChartJsNamesThePackage) {
  HtmlReport r("t");
  r.chart(line_chart("l", "x", "y", {1}, {1}));
  HtmlOptions o;
  o.chart_js_path = "/nonexistent/chart.min.js";
  const std::string out = temp_path("missing.html");
  Status s = r.write(out, o);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("libjs-chart.js"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(out));
}

// One report with every kind of chart, rendered by headless Chromium: the page
// must record that each chart drew non-blank pixels and its data elements.
TEST(HtmlReportTest, ChartsDrawInHeadlessChromium) {
  EW_REQUIRE_CHROMIUM();
  HtmlReport r("Report test", "every chart kind");
  r.heading("Tables and text");
  r.text("line one\nline two");
  r.table({"metric", "value"}, {{"P50", "1.25 ms"}, {"label", "</script> stays text"}});
  std::vector<double> x, y;
  for (int i = 0; i < 200; ++i) x.push_back(i), y.push_back(1.0 + 0.1 * std::sin(i * 0.1));
  Chart line = line_chart("latency per run", "run", "ms", x, y, "latency");
  line.series.push_back(horizontal_line("P50", 1.0, 0, 199));
  r.chart(line);
  r.chart(histogram_chart("histogram", "ms", y, 20));
  r.chart(bar_chart("bars", "MiB", {"a", "b", "</script>"}, {1, 2, 3}, "memory"));
  Chart scatter;
  scatter.kind = ChartKind::kScatter;
  scatter.title = "latency vs accuracy";
  scatter.x_label = "ms";
  scatter.y_label = "top-1";
  Series kept{"kept", {1.0, 2.0}, {0.90, 0.91}, {"int8", "fp32"}};
  Series rejected{"rejected", {3.0}, {0.80}, {"tiny"}};
  rejected.point_style = "crossRot";
  scatter.series = {kept, rejected};
  r.chart(scatter);
  r.chart(dual_axis_line_chart("sustained", "s", {0, 1, 2, 3}, "°C", {40, 60, 70, 65}, "MHz", {1800, 1800, 1200, 1500}));
  ASSERT_EQ(r.chart_count(), 5);
  const std::string out = temp_path("charts.html");
  Status s = r.write(out);
  ASSERT_TRUE(s.is_ok()) << s.to_string();

  const auto start = std::chrono::steady_clock::now();
  test::RenderedPage page = test::render_in_chromium(out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(page.exit_code, 0) << "chromium failed or timed out";
  EXPECT_EQ(page.chart_error, "");
  EXPECT_EQ(page.charts_total, 5) << page.dom.substr(0, 400);
  EXPECT_EQ(page.charts_drawn, 5);
  EXPECT_EQ(page.dom.find("data-drawn=\"0\""), std::string::npos);
  RecordProperty("chromium_seconds", std::to_string(seconds));
  fs::remove(out);
}

// The page must not claim a chart drew when it has nothing to draw: all-NaN data
// lays out no finite elements, so that canvas is data-drawn="0".
TEST(HtmlReportTest, ChartWithoutDataIsNotCountedAsDrawn) {
  EW_REQUIRE_CHROMIUM();
  HtmlReport r("blank");
  r.chart(line_chart("nothing", "x", "y", {1, 2}, {NAN, NAN}));
  r.chart(line_chart("something", "x", "y", {1, 2}, {1, 2}));
  r.chart(bar_chart("no bars", "y", {"a", "b"}, {NAN, NAN}));
  const std::string out = temp_path("blank.html");
  ASSERT_TRUE(r.write(out).is_ok());
  test::RenderedPage page = test::render_in_chromium(out);
  EXPECT_EQ(page.charts_total, 3);
  EXPECT_EQ(page.charts_drawn, 1);
  EXPECT_NE(page.dom.find("data-drawn=\"0\""), std::string::npos);
  fs::remove(out);
}

}  // namespace
}  // namespace ew::report
