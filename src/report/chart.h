// Charts for HTML reports: a small description of a line, scatter or bar
// chart (series of numbers with labels, units and axes) and its translation to
// a Chart.js v3 configuration object. The page that draws them is written by
// html_report.h; this file knows nothing about HTML.
//
// Builders cover the charts Edgewise draws: a histogram of samples, a line of
// values over time, a two-axis line (temperature and frequency of a sustained
// run), bars per category and points on a plane.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace ew::report {

enum class ChartKind { kLine, kScatter, kBar };

// One line, set of points or set of bars.
struct Series {
  std::string label;
  std::vector<double> x;  // line/scatter: x of each point; bar: unused (the chart's categories)
  std::vector<double> y;  // non-finite values leave a gap
  std::vector<std::string> point_labels;  // optional text drawn beside each point (scatter, line)
  std::string color;        // CSS colour; "" takes the next colour of the palette
  bool right_axis = false;  // plot against the right-hand axis (Chart::y2_label)
  std::string point_style;  // Chart.js pointStyle ("circle", "crossRot", "triangle", "rectRot"); "" = circle
  double point_radius = -1; // < 0: automatic (hidden on lines of more than 60 points)
  bool dashed = false;
  bool stepped = false;     // line drawn as steps (e.g. an operating point over time)
};

struct Chart {
  ChartKind kind = ChartKind::kLine;
  std::string title;
  std::string x_label, y_label;
  std::string y2_label;                 // non-empty: a second y axis on the right
  std::vector<std::string> categories;  // bar charts: one label per bar
  std::vector<Series> series;
  bool y_from_zero = false;             // start the (left) y axis at 0
  bool stacked = false;                 // bar charts: stack the series instead of grouping them
};

// Checks the shape of `chart`: x and y of equal length for line/scatter,
// one y per category for bars, point labels matching the points, at least
// one series, right-axis series only with a y2_label. The message names the series.
Status validate_chart(const Chart& chart);

// The Chart.js v3 configuration ({type, data, options}) for a valid chart,
// animation off so the chart is drawn as soon as it is created.
Result<nlohmann::json> chartjs_config(const Chart& chart);

// ---- builders ----

// Bars counting `samples` in `bins` equal-width bins between their min and
// max, each labelled by its range ("1.20-1.25"); `x_label` names the unit.
// With a finite `upper` below the max, the bins span [min, upper] and one more
// bar ("> upper") counts the samples above it, so rare outliers do not squeeze
// the distribution into one bar (e.g. upper = P99 of latencies).
Chart histogram_chart(const std::string& title, const std::string& x_label, const std::vector<double>& samples,
                      int bins = 30, double upper = NAN);

// One line of `y` over `x` (e.g. latency of each timed run).
Chart line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                 const std::vector<double>& x, const std::vector<double>& y, const std::string& series_label = "");

// Two lines over the same `x` against two y axes: `left` on the left axis
// (e.g. temperature, °C), `right` on the right one (e.g. CPU frequency, MHz).
Chart dual_axis_line_chart(const std::string& title, const std::string& x_label, const std::vector<double>& x,
                           const std::string& left_label, const std::vector<double>& left,
                           const std::string& right_label, const std::vector<double>& right);

// One bar per category.
Chart bar_chart(const std::string& title, const std::string& y_label, const std::vector<std::string>& categories,
                const std::vector<double>& values, const std::string& series_label = "");

// Constant horizontal line at `y` across [x0, x1], e.g. a percentile over a time series.
Series horizontal_line(const std::string& label, double y, double x0, double x1, const std::string& color = "");

}  // namespace ew::report
