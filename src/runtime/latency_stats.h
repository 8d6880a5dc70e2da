// Summary statistics of measured latencies, for `edgewise bench` and
// bench/ort_bench.js (which uses the same definitions).
#pragma once

#include <cstdint>
#include <vector>

namespace ew {

// The p-th percentile (p in [0, 100]) of `sorted` (ascending), by linear
// interpolation between closest ranks — NumPy's default ("linear", Hyndman &
// Fan type 7): h = (n - 1) * p / 100, result = x[floor h] + (h - floor h) *
// (x[floor h + 1] - x[floor h]). P0 is the minimum, P100 the maximum, and the
// percentile of one sample is that sample. Returns 0 for no samples.
double percentile(const std::vector<double>& sorted, double p);

struct LatencySummary {
  int64_t count = 0;
  double mean = 0;
  double std = 0;   // sample standard deviation (divides by n - 1); 0 for fewer than 2 samples
  double min = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
};

LatencySummary summarize_latencies(std::vector<double> samples);

}  // namespace ew
