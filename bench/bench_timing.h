// Timing for the kernel microbenchmarks: the median of repeated runs.
#pragma once

#include <time.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace ew::microbench {

// Milliseconds on `clock` now.
inline double now_ms(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Median milliseconds of fn (after one untimed run) over at least `min_runs`
// runs, more until `budget_ms` is spent or `max_runs` reached. Single-threaded
// runs use the thread's CPU time (the machine is shared; wall time would count
// the time other processes hold the core); multi-threaded ones wall time.
inline double time_ms(const std::function<void()>& fn, double budget_ms, bool cpu_time, size_t min_runs = 3,
                      size_t max_runs = 200) {
  const clockid_t clock = cpu_time ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
  fn();
  std::vector<double> runs;
  double total = 0.0;
  while ((total < budget_ms && runs.size() < max_runs) || runs.size() < min_runs) {
    const double t0 = now_ms(clock);
    fn();
    runs.push_back(now_ms(clock) - t0);
    total += runs.back();
  }
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

}  // namespace ew::microbench
