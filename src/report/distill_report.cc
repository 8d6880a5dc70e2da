#include "report/distill_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "report/html_report.h"

namespace ew::report {
namespace {

double or_nan(double v) { return v < 0 ? NAN : v; }

std::string stage_name(const distill::StageReport& s, size_t i) {
  return (i == 0 ? "teacher: " : "stage " + std::to_string(i) + ": ") +
         std::filesystem::path(s.stage.source).filename().string();
}

}  // namespace

Status write_distill_report(const std::vector<distill::StageReport>& stages, const std::string& title,
                            const std::string& path) {
  HtmlReport page(title);
  std::vector<std::string> names;
  std::vector<double> accuracy, params, measured, predicted;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < stages.size(); ++i) {
    const distill::StageMetrics& m = stages[i].metrics;
    names.push_back(stage_name(stages[i], i));
    accuracy.push_back(or_nan(m.accuracy));
    params.push_back(static_cast<double>(m.parameters));
    measured.push_back(or_nan(m.measured_p50_ms));
    predicted.push_back(or_nan(m.predicted_ms));
    rows.push_back({names.back(), std::to_string(m.parameters), format_number("%.1f", m.file_bytes / 1024.0),
                    m.accuracy < 0 ? "-" : format_number("%.4f", m.accuracy),
                    m.measured_p50_ms < 0 ? "-" : format_number("%.3f", m.measured_p50_ms),
                    m.predicted_ms < 0 ? "-" : format_number("%.3f", m.predicted_ms)});
  }
  page.heading("Stages");
  page.table({"stage", "parameters", "KiB on disk", "test top-1", "host P50 ms", "predicted ms"}, rows);
  page.chart(bar_chart("Test top-1 accuracy per stage", "accuracy", names, accuracy));
  page.chart(bar_chart("Parameters per stage", "parameters", names, params));
  page.chart(bar_chart("Latency per stage (host, measured P50)", "ms", names, measured));
  if (std::any_of(predicted.begin(), predicted.end(), [](double v) { return std::isfinite(v); }))
    page.chart(bar_chart("Latency per stage (device profile, predicted)", "ms", names, predicted));
  for (size_t i = 1; i < stages.size(); ++i) {
    if (!stages[i].distill) continue;
    const train::TrainReport& r = stages[i].distill->train;
    std::vector<double> x, loss, val;
    for (const auto& e : r.epochs) {
      x.push_back(e.epoch);
      loss.push_back(e.train_loss);
      val.push_back(or_nan(e.val_accuracy));
    }
    if (x.empty()) continue;
    page.heading(names[i]);
    page.chart(line_chart("Distillation loss per epoch", "epoch", "loss", x, loss, "train"));
    if (std::any_of(val.begin(), val.end(), [](double v) { return std::isfinite(v); }))
      page.chart(line_chart("Validation top-1 per epoch", "epoch", "accuracy", x, val, "validation"));
  }
  return page.write(path);
}

}  // namespace ew::report
