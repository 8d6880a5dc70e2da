// The page `edgewise bench --report FILE.html` writes: the latency histogram,
// the latency of every timed run in order (with P50/P99 lines), P50/P90/P99
// over windows of runs (percentiles over time), the percentiles, peak memory
// and the energy per inference predicted by the roofline energy model of a
// device profile (the CLI uses `host`), both at the roofline's latency and at
// the measured P50.
//
// bench_report returns the HtmlReport unwritten so callers can add sections
// (e.g. the temperature/frequency curve of a sustained run, with
// dual_axis_line_chart) before HtmlReport::write.
#pragma once

#include <string>

#include "device/model_prediction.h"
#include "report/html_report.h"
#include "runtime/benchmark.h"

namespace ew::report {

struct BenchReportOptions {
  int version = 1;
  std::string settings;               // one line describing threads, level, backend...
};

// Energy per inference of the benchmarked model on a profile.
struct BenchEnergy {
  std::string device;
  double roofline_latency_ms = 0;
  double dynamic_mj = 0;         // MACs x energy per MAC + DRAM bytes x energy per byte
  double static_w = 0;           // the profile's static power
  double roofline_total_mj = 0;  // dynamic + static over the roofline latency
  double measured_latency_ms = 0;  // the measured P50
  double measured_total_mj = 0;  // dynamic + static over the measured P50
};

// Predicts the model's energy on `device` at the dims the benchmark bound.
Result<BenchEnergy> bench_energy(const BenchmarkResult& result, const std::string& device);

// The report for a finished benchmark; `energy` may be null (no energy section).
HtmlReport bench_report(const BenchmarkResult& result, const BenchEnergy* energy, const BenchReportOptions& options);

}  // namespace ew::report
