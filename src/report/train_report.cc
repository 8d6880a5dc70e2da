#include "report/train_report.h"

#include <cmath>
#include <cstdio>

#include "report/html_report.h"

namespace ew::report {
namespace {

std::string fmt(double v, const char* f = "%.4f") {
  if (v < 0 || !std::isfinite(v)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// A line per series, with gaps where a value is missing (-1).
Chart curves(const std::string& title, const std::string& y_label, const std::vector<double>& x,
             const std::vector<std::pair<std::string, std::vector<double>>>& lines) {
  Chart c;
  c.kind = ChartKind::kLine;
  c.title = title;
  c.x_label = "epoch";
  c.y_label = y_label;
  for (const auto& [label, y] : lines) {
    Series s;
    s.label = label;
    s.x = x;
    for (double v : y) s.y.push_back(v < 0 ? NAN : v);
    c.series.push_back(s);
  }
  return c;
}

}  // namespace

Status write_train_report(const train::TrainReport& r, const std::string& title, const std::string& path) {
  HtmlReport page(title);
  std::vector<double> x, tl, vl, ta, va;
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : r.epochs) {
    x.push_back(e.epoch);
    tl.push_back(e.train_loss);
    vl.push_back(e.val_loss);
    ta.push_back(e.train_accuracy);
    va.push_back(e.val_accuracy);
    rows.push_back({std::to_string(e.epoch), fmt(e.train_loss), fmt(e.train_accuracy), fmt(e.val_loss), fmt(e.val_accuracy),
                    fmt(e.seconds, "%.1f"), fmt(e.samples_per_second, "%.0f")});
  }
  page.text(std::to_string(r.steps) + " optimizer steps, " + std::to_string(r.parameter_count) + " trainable values in " +
            std::to_string(r.parameters.size()) + " parameters (" + std::to_string(r.frozen.size()) + " frozen); " +
            "training graph arena " + fmt(r.arena_bytes / 1048576.0, "%.1f") + " MiB planned vs " +
            fmt(r.naive_bytes / 1048576.0, "%.1f") + " MiB unplanned." +
            (r.resumed_from_step >= 0 ? " Resumed from the checkpoint at step " + std::to_string(r.resumed_from_step) + "." : ""));
  if (!r.epochs.empty()) {
    page.heading("Loss");
    page.chart(curves("Loss per epoch", "loss", x, {{"train", tl}, {"validation", vl}}));
    if (ta.front() >= 0) {
      page.heading("Accuracy");
      page.chart(curves("Top-1 accuracy per epoch", "accuracy", x, {{"train", ta}, {"validation", va}}));
    }
  }
  page.heading("Epochs");
  page.table({"epoch", "train loss", "train acc", "val loss", "val acc", "seconds", "samples/s"}, rows);
  return page.write(path);
}

}  // namespace ew::report
