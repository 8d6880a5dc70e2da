// run_benchmark: loads a model, runs it on fixed inputs and measures what
// `edgewise bench` reports — session init (load + compile), the first
// inference, the latency distribution of the timed runs, peak RSS, the
// memory plan's arena/naive bytes, the model's static cost and the achieved
// GFLOP/s — optionally with a per-node profile and a Chrome trace.
//
// The run sequence: load (init_ms), one first inference (first_ms, not in the
// statistics), `warmup` more untimed runs, then timed runs until at least
// `runs` have run AND `min_seconds` have passed. Every run uses the same inputs.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/latency_stats.h"
#include "runtime/profiler.h"
#include "runtime/session.h"

namespace ew {

struct BenchmarkOptions {
  int version = 1;                           // options struct version, for forward compatibility
  int runs = 20;                             // at least this many timed runs
  int warmup = 2;                            // untimed runs after the first inference
  double min_seconds = 1.0;                  // and keep running until this much timed wall time has passed
  std::map<std::string, int64_t> dims;       // symbolic dims for random inputs (others default to 1)
  std::map<std::string, Tensor> inputs;      // inputs to use; when empty: `inputs_dir`, else random
  std::string inputs_dir;                    // a folder of .npy (by input name or input_K.npy) or input_K.pb
  uint64_t seed = 42;                        // for random inputs
  bool profile = false;                      // attach a Profiler to the timed runs
  std::string trace_path;                    // when set, write a Chrome trace of the timed runs here
};

struct BenchmarkResult {
  std::string model;
  int threads = 1;
  std::map<std::string, int64_t> dims;       // symbolic dims as bound by the inputs
  double init_ms = 0;                        // Session::load: parse, validate, compile
  double first_ms = 0;                       // the first inference
  std::vector<double> run_ms;                // every timed run, in order
  LatencySummary latency;                    // of run_ms
  int64_t peak_rss_bytes = 0;                // VmHWM of this process at the end
  int64_t arena_bytes = 0, naive_bytes = 0;  // Session::memory_stats()
  int64_t macs = 0, flops = 0;               // static cost at the bound shapes
  bool cost_exact = true;                    // false: some shapes were unknown, cost is a lower bound
  double gflops_p50 = 0;                     // flops / p50
  std::optional<Profile> profile;
  PlanSummary plan;                          // backends, partitions, measured backend choices
  std::string trace_path;
  size_t trace_events = 0;
};

// Called after each timed run: (timed runs done, timed seconds so far).
using BenchmarkProgress = std::function<void(int runs, double seconds)>;

Result<BenchmarkResult> run_benchmark(const std::string& model_path, const SessionOptions& session_options,
                                      const BenchmarkOptions& options, const BenchmarkProgress& progress = {});

// The result as one JSON object: init_ms, first_ms, mean_ms, std_ms, min_ms,
// p50_ms, p90_ms, p95_ms, p99_ms, max_ms, runs, peak_rss_bytes, arena_bytes,
// naive_bytes, macs, flops, gflops_p50, threads, model, dims (+ profile:
// the per-step rows, profile_op_types and profile_total_ms with a profile).
nlohmann::json benchmark_to_json(const BenchmarkResult& result);

}  // namespace ew
