#include "report/bench_report.h"

#include <algorithm>
#include <cstdio>

namespace ew::report {
namespace {

std::string mib(int64_t bytes) { return format_number("%.2f MiB", static_cast<double>(bytes) / (1 << 20)); }

// P50, P90 and P99 of consecutive windows of runs (at most 40 windows of at least 5 runs), each
// plotted at its window's middle run: drift (warming up, throttling, a busy neighbour) shows.
Chart windowed_percentiles(const std::vector<double>& run_ms) {
  const size_t n = run_ms.size();
  const size_t window = std::max<size_t>(5, (n + 39) / 40);
  Chart c;
  c.title = "Percentiles over time (windows of " + std::to_string(window) + " runs)";
  c.x_label = "timed run";
  c.y_label = "latency (ms)";
  Series p50{"P50"}, p90{"P90"}, p99{"P99"};
  p50.color = "#59a14f", p90.color = "#f28e2b", p99.color = "#e15759";
  for (size_t start = 0; start < n; start += window) {
    std::vector<double> w(run_ms.begin() + start, run_ms.begin() + std::min(n, start + window));
    std::sort(w.begin(), w.end());
    const double middle = static_cast<double>(start) + static_cast<double>(w.size() + 1) / 2;
    for (Series* s : {&p50, &p90, &p99}) s->x.push_back(middle);
    p50.y.push_back(percentile(w, 50));
    p90.y.push_back(percentile(w, 90));
    p99.y.push_back(percentile(w, 99));
  }
  c.series = {p50, p90, p99};
  return c;
}

void add_latency(HtmlReport& r, const BenchmarkResult& b) {
  const LatencySummary& l = b.latency;
  r.heading("Latency");
  r.text("Timed runs after one first run and the warm-up runs; percentiles interpolate linearly between closest "
         "ranks (NumPy's default).");
  r.table({"runs", "mean", "std", "min", "P50", "P90", "P95", "P99", "max"},
          {{std::to_string(l.count), format_number("%.3f ms", l.mean), format_number("%.3f ms", l.std), format_number("%.3f ms", l.min),
            format_number("%.3f ms", l.p50), format_number("%.3f ms", l.p90), format_number("%.3f ms", l.p95), format_number("%.3f ms", l.p99),
            format_number("%.3f ms", l.max)}});
  // Bins up to Tukey's far-out fence (P75 + 3 IQR) and one bar for the runs above it, so a few
  // outliers (a busy machine) do not squeeze the distribution into one bar.
  std::vector<double> sorted = b.run_ms;
  std::sort(sorted.begin(), sorted.end());
  const double q1 = percentile(sorted, 25), q3 = percentile(sorted, 75);
  const int bins = std::min<int>(40, std::max<int>(5, static_cast<int>(b.run_ms.size()) / 4));
  const double fence = q3 + 3 * (q3 - q1);
  const std::string title = "Latency histogram (" + std::to_string(l.count) + " timed runs" +
                            (l.max > fence ? "; the last bar: runs above P75 + 3 IQR)" : ")");
  r.chart(histogram_chart(title, "latency (ms)", b.run_ms, bins, fence));
  std::vector<double> index;
  for (size_t i = 0; i < b.run_ms.size(); ++i) index.push_back(static_cast<double>(i + 1));
  Chart over_time = line_chart("Latency of each timed run, in order", "timed run", "latency (ms)", index, b.run_ms,
                               "latency");
  const double last = index.empty() ? 1 : index.back();
  over_time.series.push_back(horizontal_line("P50", l.p50, 1, last, "#59a14f"));
  over_time.series.push_back(horizontal_line("P99", l.p99, 1, last, "#e15759"));
  r.chart(over_time);
  r.chart(windowed_percentiles(b.run_ms));
  r.chart(bar_chart("Latency percentiles", "latency (ms)", {"min", "P50", "P90", "P95", "P99", "max"},
                    {l.min, l.p50, l.p90, l.p95, l.p99, l.max}, "ms"));
}

void add_memory(HtmlReport& r, const BenchmarkResult& b) {
  r.heading("Memory");
  r.text("Peak RSS is the process's high-water mark (VmHWM) at the end of the benchmark: weights, arena, code and "
         "the runtime. The arena holds every planned intermediate; naive is the sum of those tensors, each in its "
         "own buffer. XNNPACK partitions keep their intermediates in a workspace of their own, which the "
         "arena does not count (a model that runs as one partition plans 0 B).");
  r.table({"peak RSS", "arena", "naive intermediates"},
          {{mib(b.peak_rss_bytes), mib(b.arena_bytes), mib(b.naive_bytes)}});
  r.chart(bar_chart("Memory", "MiB", {"peak RSS", "arena", "naive intermediates"},
                    {b.peak_rss_bytes / 1048576.0, b.arena_bytes / 1048576.0, b.naive_bytes / 1048576.0}, "MiB"));
}

void add_energy(HtmlReport& r, const BenchEnergy& e) {
  r.heading("Energy per inference (modelled)");
  r.text("Predicted by the roofline energy model of the '" + e.device +
         "' device profile, not measured: dynamic energy = MACs x energy per MAC at each op's precision + DRAM "
         "bytes x energy per byte; static energy = the profile's static power (" + format_number("%.2f W", e.static_w) +
         ") over the inference's duration, taken once as the roofline's latency and once as the measured P50.");
  r.table({"", "latency", "dynamic", "static", "total"},
          {{"roofline latency", format_number("%.4f ms", e.roofline_latency_ms), format_number("%.4f mJ", e.dynamic_mj),
            format_number("%.4f mJ", e.roofline_total_mj - e.dynamic_mj), format_number("%.4f mJ", e.roofline_total_mj)},
           {"measured P50", format_number("%.4f ms", e.measured_latency_ms), format_number("%.4f mJ", e.dynamic_mj),
            format_number("%.4f mJ", e.measured_total_mj - e.dynamic_mj), format_number("%.4f mJ", e.measured_total_mj)}});
  Chart bars = bar_chart("Energy per inference on " + e.device + " (mJ)", "mJ",
                         {"at roofline latency", "at measured P50"},
                         {e.dynamic_mj, e.dynamic_mj}, "dynamic");
  Series stat;
  stat.label = "static";
  stat.y = {e.roofline_total_mj - e.dynamic_mj, e.measured_total_mj - e.dynamic_mj};
  bars.series.push_back(stat);
  bars.stacked = true;
  r.chart(bars);
}

}  // namespace

Result<BenchEnergy> bench_energy(const BenchmarkResult& result, const std::string& device) {
  EW_ASSIGN_OR_RETURN(DeviceProfile profile, load_device_profile(device));
  EW_ASSIGN_OR_RETURN(ModelPrediction p, predict_model_roofline(result.model, profile, result.dims));
  BenchEnergy e;
  e.device = profile.name;
  e.roofline_latency_ms = p.latency_s * 1e3;
  e.dynamic_mj = p.dynamic_energy_j * 1e3;
  e.static_w = profile.static_power();
  e.roofline_total_mj = p.energy_j * 1e3;
  e.measured_latency_ms = result.latency.p50;
  e.measured_total_mj = energy_at_latency(p, profile, result.latency.p50 * 1e-3) * 1e3;
  return e;
}

HtmlReport bench_report(const BenchmarkResult& b, const BenchEnergy* energy, const BenchReportOptions& options) {
  HtmlReport r("edgewise bench: " + b.model, options.settings);
  r.heading("Summary");
  std::vector<std::vector<std::string>> rows = {
      {"init (load + compile)", format_number("%.3f ms", b.init_ms)},
      {"first run", format_number("%.3f ms", b.first_ms)},
      {"P50 latency", format_number("%.3f ms", b.latency.p50)},
      {"P99 latency", format_number("%.3f ms", b.latency.p99)},
      {"peak RSS", mib(b.peak_rss_bytes)},
      {"MACs", format_number("%.0f", static_cast<double>(b.macs)) + (b.cost_exact ? "" : " (lower bound)")},
      {"GFLOP/s at P50", format_number("%.2f", b.gflops_p50)}};
  if (energy)
    rows.push_back({"energy per inference (modelled, " + energy->device + ", at measured P50)",
                    format_number("%.4f mJ", energy->measured_total_mj)});
  r.table({"metric", "value"}, rows);
  add_latency(r, b);
  add_memory(r, b);
  if (energy) add_energy(r, *energy);
  return r;
}

}  // namespace ew::report
