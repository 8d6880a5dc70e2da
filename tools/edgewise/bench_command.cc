// edgewise bench MODEL: latency distribution, init and first-run time, peak
// RSS, memory plan and achieved GFLOP/s; optional per-node profile and Chrome
// trace. The measuring is run_benchmark (src/runtime/benchmark.h); this file
// parses and prints.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "arguments.h"
#include "bench_energy.h"
#include "bench_sustained.h"
#include "commands.h"
#include "report/bench_report.h"
#include "runtime/benchmark.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, inputs_dir, trace, report;
  SessionArgs session;
  std::vector<std::string> dims;
  int runs = 20, warmup = 2;
  double min_secs = 1.0;
  bool profile = false, json = false;
  SustainedBenchArgs sustained;  // --device/--sustained: simulate instead of measuring
};

// Progress on stderr once a benchmark has taken a few seconds, at most once a second.
BenchmarkProgress stderr_progress(int min_runs, double min_secs) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  auto start = *last;
  bool tty = isatty(STDERR_FILENO);
  return [=](int runs, double) {
    auto now = std::chrono::steady_clock::now();
    double wall = std::chrono::duration<double>(now - start).count();
    if (wall < 3.0 || std::chrono::duration<double>(now - *last).count() < (tty ? 1.0 : 5.0)) return;
    *last = now;
    std::fprintf(stderr, "%sbench: %d runs (want >= %d and >= %.1f s), %.1f s%s", tty ? "\r" : "", runs, min_runs,
                 min_secs, wall, tty ? "" : "\n");
  };
}

void print_rows(const std::vector<ProfileEntry>& rows, size_t limit, bool names, double total_ms) {
  if (names) std::printf("%-30s ", "node");
  std::printf("%-44s %-9s %6s %10s %6s %10s %8s\n", "op type", "backend", "calls", "total ms", "share", "MACs/call",
              "GFLOP/s");
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    const ProfileEntry& e = rows[i];
    std::string name = e.name + (e.nested ? " (nested)" : "");
    if (names) std::printf("%-30.30s ", name.c_str());
    std::printf("%-44.44s %-9.9s %6lld %10.3f %5.1f%% %10s %8.2f\n", e.op_type.c_str(), e.backend.c_str(),
                static_cast<long long>(e.calls), e.total_ms, e.share, human_count(static_cast<double>(e.macs)).c_str(),
                e.gflops);
  }
  if (rows.size() > limit) std::printf("... %zu more\n", rows.size() - limit);
}

void print_profile(const Profile& p, int64_t runs) {
  std::printf("\nprofile: %.3f ms in steps over %lld timed runs (%.3f ms per run); nested steps are inside their parents\n",
              p.total_ms, static_cast<long long>(runs), runs ? p.total_ms / static_cast<double>(runs) : 0.0);
  std::printf("\ntop nodes by time\n");
  print_rows(p.nodes, 25, true, p.total_ms);
  std::printf("\nby op type\n");
  print_rows(p.op_types, p.op_types.size(), false, p.total_ms);
}

// Which backend won each chunk of the graph, and by how much (each candidate
// timed alone on the real shapes when the model was first loaded here).
void print_choices(const PlanSummary& plan) {
  if (plan.choices.empty()) return;
  std::printf("\nbackend choices (%s)\n", plan.tuning_from_cache
                                                 ? "from the tuning cache"
                                                 : ("measured at load in " + std::to_string(static_cast<int>(plan.tuning_seconds * 1e3)) + " ms").c_str());
  std::printf("%-40s %5s %-9s %-40s %s\n", "first node", "nodes", "chosen", "ms per candidate (alone)", "margin");
  for (const auto& c : plan.choices) {
    std::string times;
    double chosen = 0, next = 0;
    for (const auto& [name, s] : c.seconds) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%s %.3f", times.empty() ? "" : ", ", name.c_str(), s * 1e3);
      times += buf;
      if (name == c.chosen) chosen = s;
      else if (next == 0 || s < next) next = s;
    }
    std::printf("%-40.40s %5d %-9s %-40.40s %s\n", c.first_node.c_str(), c.nodes, c.chosen.c_str(), times.c_str(),
                chosen > 0 && next > 0 ? (std::to_string(next / chosen).substr(0, 4) + "x").c_str() : "");
  }
}

void print_text(const BenchmarkResult& r, const Args& a) {
  const LatencySummary& l = r.latency;
  std::string dims;
  for (const auto& [k, v] : r.dims) dims += (dims.empty() ? "" : ",") + k + "=" + std::to_string(v);
  std::printf("model       %s\n", r.model.c_str());
  std::printf("settings    threads %d, level %s, backend %s, precision %s%s\n", r.threads, a.session.level.c_str(),
              a.session.backend.c_str(), a.session.precision.c_str(), dims.empty() ? "" : (", dims " + dims).c_str());
  std::printf("init        %.3f ms (load + compile)\n", r.init_ms);
  std::printf("first run   %.3f ms\n", r.first_ms);
  std::printf("timed runs  %lld (after 1 first + %d warm-up)\n", static_cast<long long>(l.count), a.warmup);
  std::printf("latency ms  mean %.3f  std %.3f  min %.3f  p50 %.3f  p90 %.3f  p95 %.3f  p99 %.3f  max %.3f\n", l.mean,
              l.std, l.min, l.p50, l.p90, l.p95, l.p99, l.max);
  std::printf("peak RSS    %s\n", human_bytes(static_cast<double>(r.peak_rss_bytes)).c_str());
  std::printf("memory plan arena %s, naive %s\n", human_bytes(static_cast<double>(r.arena_bytes)).c_str(),
              human_bytes(static_cast<double>(r.naive_bytes)).c_str());
  std::printf("cost        %s MACs, %s FLOPs%s -> %.2f GFLOP/s at p50\n", human_count(static_cast<double>(r.macs)).c_str(),
              human_count(static_cast<double>(r.flops)).c_str(), r.cost_exact ? "" : " (lower bound)", r.gflops_p50);
  if (!r.trace_path.empty()) std::printf("trace       %s (%zu events)\n", r.trace_path.c_str(), r.trace_events);
  if (!r.plan.precision_note.empty()) std::printf("note        %s\n", r.plan.precision_note.c_str());
  std::string backends;
  for (const auto& [name, n] : r.plan.backend_nodes) backends += (backends.empty() ? "" : ", ") + name + " " + std::to_string(n);
  std::printf("backends    %s nodes in %d partitions; %d fast-kernel, %d reference steps\n",
              backends.empty() ? "no" : backends.c_str(), r.plan.partitions, r.plan.fast_kernel_steps,
              r.plan.reference_steps);
  if (r.profile) {
    print_profile(*r.profile, l.count);
    print_choices(r.plan);
  }
}

// --report: the HTML page (src/report/bench_report.h), energy priced by the host profile's model.
Status write_report(const BenchmarkResult& r, const Args& a, std::optional<report::BenchEnergy>& energy) {
  EW_ASSIGN_OR_RETURN(energy, report::bench_energy(r, "host"));
  report::BenchReportOptions o;
  o.settings = "threads " + std::to_string(r.threads) + ", level " + a.session.level + ", backend " + a.session.backend +
               ", precision " + a.session.precision + ", " + std::to_string(r.latency.count) + " timed runs";
  return report::bench_report(r, &*energy, o).write(a.report);
}

nlohmann::json with_report(nlohmann::json j, const Args& a, const std::optional<report::BenchEnergy>& e) {
  if (!e) return j;
  j["report"] = a.report;
  j["energy_mj"] = {{"device", e->device}, {"at_p50", e->measured_total_mj}, {"roofline", e->roofline_total_mj},
                    {"dynamic", e->dynamic_mj}, {"method", "roofline energy model"}};
  return j;
}

int run(const Args& a) {
  if (sustained_requested(a.sustained)) return run_sustained_bench(a.model, a.dims, a.sustained, a.json, a.report);
  auto session = session_options(a.session);
  if (!session.is_ok()) return report_error(session.status());
  auto dims = parse_dims(a.dims);
  if (!dims.is_ok()) return report_error(dims.status());
  BenchmarkOptions o;
  o.runs = a.runs;
  o.warmup = a.warmup;
  o.min_seconds = a.min_secs;
  o.dims = *dims;
  o.inputs_dir = a.inputs_dir;
  o.profile = a.profile;
  o.trace_path = a.trace;
  device::InferenceEnergyMeter meter;  // RAPL package energy of the timed runs, when readable
  auto progress = stderr_progress(a.runs, a.min_secs);
  auto r = run_benchmark(a.model, *session, o, [&](int runs, double s) {
    meter.after_run(runs);
    progress(runs, s);
  });
  if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r");
  if (!r.is_ok()) return report_error(r.status());
  std::optional<report::BenchEnergy> energy;
  if (!a.report.empty()) {
    Status s = write_report(*r, a, energy);
    if (!s.is_ok()) return report_error(s);
  }
  const MeasuredBenchEnergy measured = measure_bench_energy(meter, a.model, *dims);
  if (a.json) {
    nlohmann::json j = with_report(benchmark_to_json(*r), a, energy);
    j["measured_energy"] = measured_energy_json(measured);
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(*r, a);
    print_measured_energy(measured);
  }
  if (!a.json && energy)
    std::printf("energy      %.4f mJ per inference (modelled: host profile, at the measured P50)\nreport      %s\n",
                energy->measured_total_mj, a.report.c_str());
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("bench", "Measure latency, init time, peak memory and GFLOP/s; optional profile and trace");
  cmd->add_option("model", args->model, "ONNX model file")->required();
  cmd->add_option("--runs", args->runs, "At least this many timed runs")->capture_default_str();
  cmd->add_option("--warmup", args->warmup, "Untimed runs after the first inference")->capture_default_str();
  cmd->add_option("--min-secs", args->min_secs, "Keep running until this much timed time has passed")->capture_default_str();
  add_session_options(cmd, args->session);
  cmd->add_option("--dims", args->dims, "Bind symbolic dims for random inputs, e.g. N=4,S=128 (default 1)");
  cmd->add_option("--inputs", args->inputs_dir, "Folder of inputs: NAME.npy, input_K.npy or input_K.pb (test_data_set)");
  cmd->add_flag("--profile", args->profile, "Per-node and per-op-type time table");
  cmd->add_option("--trace", args->trace, "Write a Chrome trace (chrome://tracing, Perfetto) of the timed runs");
  cmd->add_option("--report", args->report,
                  "Write an HTML report: latency histogram, per-run latency, percentiles, memory, modelled energy "
                  "(with --sustained: temperature/clock, latency and power over time per policy)");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_sustained_options(cmd, args->sustained);
  cmd->footer("Latency percentiles interpolate linearly between closest ranks (NumPy's default).\n"
              "Sequence: load (init), one first run, --warmup runs, then timed runs until both --runs and --min-secs are met.");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
