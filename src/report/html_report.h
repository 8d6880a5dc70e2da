// HtmlReport: one self-contained HTML page (it opens offline) of headings,
// text, tables and charts, which `edgewise bench --report` and `edgewise
// select --report` write and any other code can extend.
//
// Charts are drawn by Chart.js v3, read at writing time from Debian's
// libjs-chart.js package (kChartJsPath) and inlined into the page; the repo
// holds no copy. Chart data goes in as JSON inside a <script type=
// "application/json"> element with every "</" escaped, so no value can close
// the script tag; text and tables are HTML-escaped.
//
// The page records whether its charts really drew: after Chart.js renders a
// chart (animation off, so at creation), a plugin counts the canvas's
// non-transparent pixels (getImageData) and its data elements laid out at
// finite positions for non-null values, marks the canvas data-drawn="1" when both are positive, and sets
// <body data-charts-total="N" data-charts-drawn="M">; a script error sets
// data-chart-error. A headless browser's --dump-dom shows these attributes
// (tests/report/html_report_test.cc).
//
//   report::HtmlReport r("edgewise bench: model.onnx");
//   r.heading("Latency");
//   r.table({"percentile", "ms"}, {{"P50", "1.23"}, {"P99", "1.80"}});
//   r.chart(report::histogram_chart("Latency of the timed runs", "ms", run_ms));
//   EW_RETURN_IF_ERROR(r.write("bench.html"));
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "report/chart.h"

namespace ew::report {

inline constexpr const char* kChartJsPath = "/usr/share/javascript/chart.js/chart.min.js";
inline constexpr const char* kChartJsPackage = "libjs-chart.js";

struct Heading {
  std::string text;
};
struct Paragraph {
  std::string text;  // plain text; newlines become line breaks
};
struct Preformatted {
  std::string text;  // shown in a monospace block, e.g. a command's text output
};
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
using Block = std::variant<Heading, Paragraph, Preformatted, Table, Chart>;

struct HtmlOptions {
  int version = 1;
  std::string chart_js_path = kChartJsPath;  // the Chart.js file to inline (v3)
};

class HtmlReport {
 public:
  explicit HtmlReport(std::string title, std::string subtitle = "");

  void heading(const std::string& text) { blocks_.push_back(Heading{text}); }
  void text(const std::string& text) { blocks_.push_back(Paragraph{text}); }
  void preformatted(const std::string& text) { blocks_.push_back(Preformatted{text}); }
  void table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
    blocks_.push_back(Table{std::move(header), std::move(rows)});
  }
  void chart(Chart chart) { blocks_.push_back(std::move(chart)); }

  const std::string& title() const { return title_; }
  const std::vector<Block>& blocks() const { return blocks_; }
  int chart_count() const;

  // The page, with `chart_js` (the library's source) inlined. Fails on an
  // invalid chart or a table row whose width differs from the header's.
  Result<std::string> render(const std::string& chart_js) const;
  // Reads Chart.js from options.chart_js_path (a missing file is a not-found
  // error naming the package to install) and writes the page to `path`.
  Status write(const std::string& path, const HtmlOptions& options = {}) const;

 private:
  std::string title_, subtitle_;
  std::vector<Block> blocks_;
};

// Reads the Chart.js source; not-found naming kChartJsPackage when absent.
Result<std::string> read_chart_js(const std::string& path = kChartJsPath);

// One number through a printf format, e.g. format_number("%.2f ms", 1.5).
std::string format_number(const char* format, double value);

// HTML-escapes & < > " '.
std::string html_escape(const std::string& text);
// `json_text` with every "</" written "<\/" (the same JSON value), safe inside a <script> element.
std::string script_safe(const std::string& json_text);

}  // namespace ew::report
