#include "report/select_report.h"

#include <cstdio>
#include <filesystem>
#include <set>

namespace ew::report {
namespace {

// File names, or whole paths when two variants share a file name.
std::vector<std::string> display_names(const Selection& s) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  bool clash = false;
  for (const VariantVerdict& v : s.variants) {
    names.push_back(std::filesystem::path(v.metrics.name).filename().string());
    clash |= !seen.insert(names.back()).second;
  }
  if (clash)
    for (size_t i = 0; i < names.size(); ++i) names[i] = s.variants[i].metrics.name;
  return names;
}

Chart plane(const Selection& s, const std::vector<std::string>& names) {
  Chart c;
  c.kind = ChartKind::kScatter;
  c.title = s.cost_used ? "Variants on the latency–accuracy plane" : "Variants on the latency–energy plane";
  c.x_label = "latency (ms)";
  c.y_label = s.cost_used ? "top-1 accuracy" : "energy per inference (mJ)";
  Series chosen{"selected"}, kept{"kept"}, rejected{"rejected"};
  chosen.color = "#59a14f";
  chosen.point_style = "rectRot";
  chosen.point_radius = 9;
  kept.color = "#4e79a7";
  rejected.color = "#e15759";
  rejected.point_style = "crossRot";
  rejected.point_radius = 9;
  for (size_t i = 0; i < s.variants.size(); ++i) {
    const VariantVerdict& v = s.variants[i];
    Series& into = !v.kept() ? rejected : v.rank == 1 ? chosen : kept;
    const double x = v.metrics.latency_ms, y = s.cost_used ? v.metrics.accuracy.value_or(0) : v.metrics.energy_mj;
    std::string label = names[i];
    for (size_t k = 0; k < into.x.size(); ++k)
      if (into.x[k] == x && into.y[k] == y && !into.point_labels[k].empty()) {
        into.point_labels[k] += ", " + label;  // one label for points on the same spot (e.g. fp32 and fp16)
        label.clear();
        break;
      }
    into.x.push_back(x);
    into.y.push_back(y);
    into.point_labels.push_back(label);
  }
  for (Series* series : {&chosen, &kept, &rejected})
    if (!series->x.empty()) c.series.push_back(*series);
  return c;
}

std::vector<std::string> row(const VariantVerdict& v, const std::string& name) {
  const VariantMetrics& m = v.metrics;
  std::string status = v.kept() ? (v.rank == 1 ? "selected" : "rank " + std::to_string(v.rank)) : "rejected: ";
  for (size_t i = 0; i < v.violations.size(); ++i) status += (i ? "; " : "") + v.violations[i];
  return {name,
          format_number("%.4f", m.latency_ms) + (m.latency_measured ? " (measured)" : " (roofline)"),
          format_number("%.4f", m.energy_mj),
          format_number("%.3f", static_cast<double>(m.memory_bytes()) / 1048576.0),
          format_number("%.1f", static_cast<double>(m.file_bytes) / 1024.0),
          m.accuracy ? format_number("%.4f", *m.accuracy) : "-",
          v.kept() ? format_number("%.3f", v.score) : "-",
          status};
}

void add_bars(HtmlReport& r, const std::string& title, const std::string& unit, const std::vector<std::string>& names,
              const std::vector<double>& values, const std::string& color) {
  Chart c = bar_chart(title, unit, names, values, unit);
  c.series[0].color = color;
  r.chart(c);
}

}  // namespace

HtmlReport select_report(const Selection& s) {
  const VariantVerdict* chosen = s.chosen();
  const std::vector<std::string> names = display_names(s);
  HtmlReport r("edgewise select" + (s.constraints.device.empty() ? "" : " for " + s.constraints.device),
               chosen ? "selected: " + chosen->metrics.name : "no variant meets the constraints");
  r.heading("Variants");
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < s.variants.size(); ++i) rows.push_back(row(s.variants[i], names[i]));
  r.table({"variant", "latency ms", "energy mJ", "memory MiB", "file KiB", "top-1", "score", "verdict"}, rows);
  r.chart(plane(s, names));
  std::vector<double> latency, energy, memory;
  for (const VariantVerdict& v : s.variants) {
    latency.push_back(v.metrics.latency_ms);
    energy.push_back(v.metrics.energy_mj);
    memory.push_back(static_cast<double>(v.metrics.memory_bytes()) / 1048576.0);
  }
  add_bars(r, "Latency per inference", "ms", names, latency, "#4e79a7");
  add_bars(r, "Energy per inference (modelled)", "mJ", names, energy, "#f28e2b");
  add_bars(r, "Memory: parameters + activation arena", "MiB", names, memory, "#76b7b2");
  r.heading("Why");
  r.preformatted(explain_selection(s));
  return r;
}

}  // namespace ew::report
