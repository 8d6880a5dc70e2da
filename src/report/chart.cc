#include "report/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace ew::report {
namespace {

// Tableau 10: distinguishable, readable on white.
const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json axis_title(const std::string& text) {
  return {{"display", !text.empty()}, {"text", text}};
}

nlohmann::json dataset(const Chart& chart, const Series& s, size_t index) {
  const std::string color = s.color.empty() ? kPalette[index % std::size(kPalette)] : s.color;
  nlohmann::json d{{"label", s.label}, {"borderColor", color}, {"backgroundColor", color}};
  if (chart.kind == ChartKind::kBar) {
    nlohmann::json values = nlohmann::json::array();
    for (double v : s.y) values.push_back(number(v));
    d["data"] = values;
  } else {
    nlohmann::json points = nlohmann::json::array();
    for (size_t i = 0; i < s.x.size(); ++i) points.push_back({{"x", number(s.x[i])}, {"y", number(s.y[i])}});
    d["data"] = points;
    double radius = s.point_radius;
    if (radius < 0) radius = chart.kind == ChartKind::kScatter ? 6 : (s.x.size() > 60 ? 0 : 3);
    d["pointRadius"] = radius;
    d["pointHoverRadius"] = radius + 2;
    if (!s.point_style.empty()) d["pointStyle"] = s.point_style;
    if (!s.point_labels.empty()) d["pointLabels"] = s.point_labels;  // drawn by the page's ewPointLabels plugin
    if (chart.kind == ChartKind::kLine) {
      d["borderWidth"] = 1.5;
      d["fill"] = false;
      d["spanGaps"] = false;
      if (s.stepped) d["stepped"] = true;
    }
  }
  if (s.dashed) d["borderDash"] = {6, 4};
  if (s.right_axis) d["yAxisID"] = "y2";
  return d;
}

nlohmann::json scales(const Chart& chart) {
  nlohmann::json x{{"title", axis_title(chart.x_label)}};
  if (chart.kind != ChartKind::kBar) x["type"] = "linear";
  nlohmann::json y{{"title", axis_title(chart.y_label)}, {"beginAtZero", chart.y_from_zero}};
  if (chart.stacked) x["stacked"] = y["stacked"] = true;
  // Room for points and their labels at the edges of a scatter plot.
  if (chart.kind == ChartKind::kScatter) x["grace"] = y["grace"] = "8%";
  nlohmann::json s{{"x", x}, {"y", y}};
  if (!chart.y2_label.empty())
    s["y2"] = {{"position", "right"}, {"title", axis_title(chart.y2_label)}, {"grid", {{"drawOnChartArea", false}}}};
  return s;
}

const char* kind_name(ChartKind k) {
  switch (k) {
    case ChartKind::kLine: return "line";
    case ChartKind::kScatter: return "scatter";
    case ChartKind::kBar: return "bar";
  }
  return "line";
}

// `v` with enough decimals to tell bins of `width` apart.
std::string bin_edge(double v, double width) {
  const int digits = width > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(width) - 1e-9)), 0, 6) : 3;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Status validate_chart(const Chart& chart) {
  const std::string where = "chart '" + chart.title + "'";
  EW_CHECK_ARG(!chart.series.empty(), where + ": no series");
  for (const Series& s : chart.series) {
    const std::string what = where + ", series '" + s.label + "'";
    if (chart.kind == ChartKind::kBar) {
      EW_CHECK_ARG(s.y.size() == chart.categories.size(), what + ": " + std::to_string(s.y.size()) + " values for " +
                                                              std::to_string(chart.categories.size()) + " categories");
    } else {
      EW_CHECK_ARG(s.x.size() == s.y.size(), what + ": " + std::to_string(s.x.size()) + " x values but " +
                                                 std::to_string(s.y.size()) + " y values");
      EW_CHECK_ARG(s.point_labels.empty() || s.point_labels.size() == s.x.size(),
                   what + ": point labels do not match the points");
    }
    EW_CHECK_ARG(!s.right_axis || !chart.y2_label.empty(), what + ": on the right axis, but the chart has no y2_label");
  }
  return Status::ok();
}

Result<nlohmann::json> chartjs_config(const Chart& chart) {
  EW_RETURN_IF_ERROR(validate_chart(chart));
  nlohmann::json datasets = nlohmann::json::array();
  for (size_t i = 0; i < chart.series.size(); ++i) datasets.push_back(dataset(chart, chart.series[i], i));
  nlohmann::json data{{"datasets", datasets}};
  if (chart.kind == ChartKind::kBar) data["labels"] = chart.categories;
  nlohmann::json options{
      {"animation", false},
      {"responsive", true},
      {"maintainAspectRatio", false},
      {"plugins",
       {{"title", {{"display", !chart.title.empty()}, {"text", chart.title}, {"font", {{"size", 15}}}}},
        {"legend", {{"display", chart.series.size() > 1 || !chart.series[0].label.empty()}}}}},
      {"scales", scales(chart)}};
  return nlohmann::json{{"type", kind_name(chart.kind)}, {"data", data}, {"options", options}};
}

Chart histogram_chart(const std::string& title, const std::string& x_label, const std::vector<double>& samples,
                      int bins, double upper) {
  Chart c;
  c.kind = ChartKind::kBar;
  c.title = title;
  c.x_label = x_label;
  c.y_label = "count";
  c.y_from_zero = true;
  Series s;
  s.label = "runs";
  std::vector<double> finite;
  for (double v : samples)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty() || bins < 1) {
    c.series.push_back(s);
    return c;
  }
  const auto [lo_it, hi_it] = std::minmax_element(finite.begin(), finite.end());
  const double lo = *lo_it;
  const bool overflow = std::isfinite(upper) && upper > lo && upper < *hi_it;
  const double hi = overflow ? upper : *hi_it;
  if (hi <= lo) bins = 1;
  const double width = hi > lo ? (hi - lo) / bins : 1.0;
  s.y.assign(static_cast<size_t>(bins) + (overflow ? 1 : 0), 0.0);
  for (double v : finite) {
    const int b = overflow && v > hi ? bins : std::min(bins - 1, static_cast<int>((v - lo) / width));
    s.y[static_cast<size_t>(b)] += 1;
  }
  for (int b = 0; b < bins; ++b)
    c.categories.push_back(bin_edge(lo + b * width, width) + "-" + bin_edge(lo + (b + 1) * width, width));
  if (overflow) c.categories.push_back("> " + bin_edge(hi, width));
  c.series.push_back(s);
  return c;
}

Chart line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                 const std::vector<double>& x, const std::vector<double>& y, const std::string& series_label) {
  Chart c;
  c.title = title;
  c.x_label = x_label;
  c.y_label = y_label;
  Series s;
  s.label = series_label;
  s.x = x;
  s.y = y;
  c.series.push_back(s);
  return c;
}

Chart dual_axis_line_chart(const std::string& title, const std::string& x_label, const std::vector<double>& x,
                           const std::string& left_label, const std::vector<double>& left,
                           const std::string& right_label, const std::vector<double>& right) {
  Chart c = line_chart(title, x_label, left_label, x, left, left_label);
  c.y2_label = right_label;
  Series r;
  r.label = right_label;
  r.x = x;
  r.y = right;
  r.right_axis = true;
  r.stepped = true;
  c.series.push_back(r);
  return c;
}

Chart bar_chart(const std::string& title, const std::string& y_label, const std::vector<std::string>& categories,
                const std::vector<double>& values, const std::string& series_label) {
  Chart c;
  c.kind = ChartKind::kBar;
  c.title = title;
  c.y_label = y_label;
  c.categories = categories;
  c.y_from_zero = true;
  Series s;
  s.label = series_label;
  s.y = values;
  c.series.push_back(s);
  return c;
}

Series horizontal_line(const std::string& label, double y, double x0, double x1, const std::string& color) {
  Series s;
  s.label = label;
  s.x = {x0, x1};
  s.y = {y, y};
  s.color = color;
  s.dashed = true;
  s.point_radius = 0;
  return s;
}

}  // namespace ew::report
