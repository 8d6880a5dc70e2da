#include "report/html_report.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ew::report {
namespace {

const char* const kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1000px;
       padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
p.subtitle { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.7em; text-align: left; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
div.chart { position: relative; height: 340px; margin: 1em 0; }
)";

// Draws each point's label (dataset.pointLabels) beside it, and records, after
// every render, whether the chart drew: non-transparent pixels on its canvas
// and finite laid-out data elements.
const char* const kPageScript = R"(
(function () {
  var body = document.body;
  var configs = JSON.parse(document.getElementById('ew-charts').textContent);
  body.dataset.chartsTotal = String(configs.length);
  body.dataset.chartsDrawn = '0';
  function inkedPixels(canvas) {
    var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    var n = 0;
    for (var i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  }
  // Elements laid out at finite positions for a non-null value (null values are gaps).
  function drawnElements(chart) {
    var n = 0;
    chart.data.datasets.forEach(function (ds, i) {
      chart.getDatasetMeta(i).data.forEach(function (e, k) {
        var v = ds.data[k];
        var value = v !== null && typeof v === 'object' ? v.y : v;
        if (value !== null && value !== undefined && isFinite(value) && !e.skip && isFinite(e.x) && isFinite(e.y)) n++;
      });
    });
    return n;
  }
  var recorder = {
    id: 'ewDrawn',
    afterRender: function (chart) {
      var pixels = inkedPixels(chart.canvas), elements = drawnElements(chart);
      chart.canvas.dataset.pixels = String(pixels);
      chart.canvas.dataset.elements = String(elements);
      chart.canvas.dataset.drawn = pixels > 0 && elements > 0 ? '1' : '0';
      body.dataset.chartsDrawn = String(document.querySelectorAll('canvas[data-drawn="1"]').length);
    }
  };
  var pointLabels = {
    id: 'ewPointLabels',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = '12px sans-serif';
      ctx.fillStyle = '#333';
      var placed = [];  // boxes of labels drawn so far: a label that would overlap one moves down a line
      function overlaps(a) {
        return placed.some(function (b) {
          return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        });
      }
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.pointLabels) return;
        chart.getDatasetMeta(i).data.forEach(function (e, k) {
          var text = ds.pointLabels[k];
          if (!text || !isFinite(e.x) || !isFinite(e.y)) return;
          var box = {x: e.x + 8, y: e.y - 20, w: ctx.measureText(text).width, h: 14};
          for (var tries = 0; tries < 10 && overlaps(box); tries++) box.y += 14;
          placed.push(box);
          ctx.fillText(text, box.x, box.y + 12);
        });
      });
      ctx.restore();
    }
  };
  configs.forEach(function (config, i) {
    try {
      config.plugins = [pointLabels, recorder];
      new Chart(document.getElementById('ew-chart-' + i), config);
    } catch (e) {
      body.dataset.chartError = String(e);
    }
  });
})();
)";

bool numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && (*end == '\0' || *end == ' ' || *end == '%');
}

void render_table(const Table& t, std::ostringstream& out) {
  out << "<table>\n<tr>";
  for (const std::string& h : t.header) out << "<th>" << html_escape(h) << "</th>";
  out << "</tr>\n";
  for (const auto& row : t.rows) {
    out << "<tr>";
    for (const std::string& cell : row)
      out << (numeric(cell) ? "<td class=\"num\">" : "<td>") << html_escape(cell) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void render_paragraph(const Paragraph& p, std::ostringstream& out) {
  std::string html = html_escape(p.text);
  std::string with_breaks;
  for (char c : html) with_breaks += c == '\n' ? std::string("<br>") : std::string(1, c);
  out << "<p>" << with_breaks << "</p>\n";
}

}  // namespace

HtmlReport::HtmlReport(std::string title, std::string subtitle)
    : title_(std::move(title)), subtitle_(std::move(subtitle)) {}

int HtmlReport::chart_count() const {
  int n = 0;
  for (const Block& b : blocks_) n += std::holds_alternative<Chart>(b) ? 1 : 0;
  return n;
}

Result<std::string> HtmlReport::render(const std::string& chart_js) const {
  std::ostringstream body;
  nlohmann::json configs = nlohmann::json::array();
  for (const Block& b : blocks_) {
    if (const auto* h = std::get_if<Heading>(&b)) {
      body << "<h2>" << html_escape(h->text) << "</h2>\n";
    } else if (const auto* p = std::get_if<Paragraph>(&b)) {
      render_paragraph(*p, body);
    } else if (const auto* pre = std::get_if<Preformatted>(&b)) {
      body << "<pre>" << html_escape(pre->text) << "</pre>\n";
    } else if (const auto* t = std::get_if<Table>(&b)) {
      for (size_t r = 0; r < t->rows.size(); ++r)
        EW_CHECK_ARG(t->rows[r].size() == t->header.size(),
                     "report table: row " + std::to_string(r) + " has " + std::to_string(t->rows[r].size()) +
                         " cells for " + std::to_string(t->header.size()) + " columns");
      render_table(*t, body);
    } else if (const auto* c = std::get_if<Chart>(&b)) {
      EW_ASSIGN_OR_RETURN(nlohmann::json config, chartjs_config(*c));
      body << "<div class=\"chart\"><canvas id=\"ew-chart-" << configs.size() << "\" role=\"img\" aria-label=\""
           << html_escape(c->title) << "\"></canvas></div>\n";
      configs.push_back(std::move(config));
    }
  }
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << html_escape(title_)
       << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>" << html_escape(title_) << "</h1>\n";
  if (!subtitle_.empty()) page << "<p class=\"subtitle\">" << html_escape(subtitle_) << "</p>\n";
  page << body.str();
  page << "<script>/* Chart.js, from Debian's " << kChartJsPackage << " (MIT license) */\n"
       << script_safe(chart_js) << "\n</script>\n";
  page << "<script type=\"application/json\" id=\"ew-charts\">" << script_safe(configs.dump()) << "</script>\n";
  page << "<script>" << kPageScript << "</script>\n</body>\n</html>\n";
  return page.str();
}

Status HtmlReport::write(const std::string& path, const HtmlOptions& options) const {
  EW_ASSIGN_OR_RETURN(std::string chart_js, read_chart_js(options.chart_js_path));
  EW_ASSIGN_OR_RETURN(std::string page, render(chart_js));
  std::ofstream out(path, std::ios::binary);
  if (!out) return io_error("report: cannot write '" + path + "'");
  out << page;
  out.close();
  if (!out) return io_error("report: failed writing '" + path + "'");
  return Status::ok();
}

Result<std::string> read_chart_js(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return not_found("report: Chart.js not found at '" + path + "'; install Debian's " + kChartJsPackage +
                     " package (scripts/setup.sh does)");
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().empty()) return io_error("report: Chart.js file '" + path + "' is empty");
  return s.str();
}

std::string format_number(const char* format, double value) {
  char buf[128];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_safe(const std::string& json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (size_t i = 0; i < json_text.size(); ++i) {
    out += json_text[i];
    if (json_text[i] == '<' && i + 1 < json_text.size() && json_text[i + 1] == '/') out += '\\';
  }
  return out;
}

}  // namespace ew::report
