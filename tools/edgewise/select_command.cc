// edgewise select --variants A.onnx,B.onnx --device PROFILE: measures or
// predicts each variant's latency, energy, memory, update size and accuracy
// on a device (src/device/variant_metrics.h), rejects those breaking a
// constraint and ranks the rest by the weighted objective
// (src/device/variant_selection.h); this file parses and prints.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "device/variant_metrics.h"
#include "report/select_report.h"

namespace ew::cli {

namespace {

struct Args {
  std::vector<std::string> variants, dims;
  std::string device = "host", weights = "1,1,1,1", dataset, report;
  double max_latency_ms = NAN, max_energy_mj = NAN, max_memory_mib = NAN, min_accuracy = NAN;
  std::vector<double> accuracy;
  int eval_count = 0, threads = 1, bench_runs = 10;
  double bench_secs = 0.3;
  bool explain = false, json = false;
};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::optional<double> given(double v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); }

// Checks everything that needs no measuring, so bad input fails at once.
Status check_args(const Args& a) {
  EW_CHECK_ARG(!a.variants.empty(), "--variants: give at least one model file");
  for (const std::string& v : a.variants)
    if (!std::filesystem::is_regular_file(v)) return not_found("--variants: '" + v + "': no such file");
  EW_CHECK_ARG(a.accuracy.empty() || a.dataset.empty(), "give either --accuracy or --dataset, not both");
  EW_CHECK_ARG(a.accuracy.empty() || a.accuracy.size() == a.variants.size(),
               "--accuracy has " + std::to_string(a.accuracy.size()) + " values for " +
                   std::to_string(a.variants.size()) + " variants (one per variant, in the same order)");
  for (double v : a.accuracy)
    EW_CHECK_ARG(v >= 0 && v <= 1, "--accuracy: " + number(v) +
                                       " is not a fraction in [0, 1] (write 0.91 for 91%)");
  EW_CHECK_ARG(a.dataset.empty() || a.dataset == "fashion-mnist",
               "unknown dataset '" + a.dataset + "' (known: fashion-mnist)");
  for (double v : {a.max_latency_ms, a.max_energy_mj, a.max_memory_mib})
    EW_CHECK_ARG(std::isnan(v) || v > 0, "--max-latency-ms, --max-energy-mj and --max-memory-mib must be positive");
  EW_CHECK_ARG(std::isnan(a.min_accuracy) || (a.min_accuracy >= 0 && a.min_accuracy <= 1),
               "--min-accuracy is a fraction in [0, 1], e.g. 0.9");
  EW_CHECK_ARG(a.eval_count >= 0, "--eval-count must not be negative");
  return Status::ok();
}

void progress(const std::string& what) {
  if (isatty(STDERR_FILENO)) std::fprintf(stderr, "select: %s\n", what.c_str());
}

Result<std::vector<VariantMetrics>> measure_all(const Args& a, const DeviceProfile& device) {
  VariantMeasureOptions o;
  o.threads = a.threads;
  EW_ASSIGN_OR_RETURN(o.dims, parse_dims(a.dims));
  o.bench_runs = a.bench_runs;
  o.bench_seconds = a.bench_secs;
  std::optional<LabeledDataset> data;
  if (!a.dataset.empty()) {
    EW_ASSIGN_OR_RETURN(data, load_fashion_mnist("test", a.eval_count));
  }
  std::vector<VariantMetrics> out;
  for (size_t i = 0; i < a.variants.size(); ++i) {
    progress("measuring " + a.variants[i]);
    EW_ASSIGN_OR_RETURN(VariantMetrics m, measure_variant(a.variants[i], device, o));
    if (!a.accuracy.empty()) m.accuracy = a.accuracy[i];
    if (data) {
      EW_ASSIGN_OR_RETURN(m.accuracy, measure_accuracy(a.variants[i], *data, a.threads));
      m.accuracy_measured = true;
    }
    out.push_back(m);
  }
  return out;
}

void print_table(const Selection& s, const DeviceProfile& device) {
  std::printf("device      %s (%.0f MiB memory); latency %s\n", device.name.c_str(), device.memory_bytes() / 1048576.0,
              device.tier == DeviceTier::kHost ? "measured (P50)" : "predicted (roofline)");
  std::printf("\n%-28s %11s %10s %10s %9s %7s %7s  %s\n", "variant", "latency ms", "energy mJ", "memory MiB",
              "file KiB", "top-1", "score", "verdict");
  for (const VariantVerdict& v : s.variants) {
    const VariantMetrics& m = v.metrics;
    std::string name = std::filesystem::path(m.name).filename().string();
    std::string verdict = v.kept() ? "rank " + std::to_string(v.rank) : "rejected: " + v.violations.front();
    if (v.violations.size() > 1) verdict += " (+" + std::to_string(v.violations.size() - 1) + " more)";
    char acc[16] = "-", score[16] = "-";
    if (m.accuracy) std::snprintf(acc, sizeof acc, "%.4f", *m.accuracy);
    if (v.kept()) std::snprintf(score, sizeof score, "%.3f", v.score);
    std::printf("%-28.28s %11.4f %10.4f %10.3f %9.1f %7s %7s  %s\n", name.c_str(), m.latency_ms, m.energy_mj,
                m.memory_bytes() / 1048576.0, m.file_bytes / 1024.0, acc, score, verdict.c_str());
  }
  const VariantVerdict* c = s.chosen();
  std::printf("\nselected    %s\n", c ? c->metrics.name.c_str() : "none: every variant breaks a constraint");
}

int run(const Args& a) {
  Status s = check_args(a);
  if (!s.is_ok()) return report_error(s);
  auto weights = parse_weights(a.weights);
  if (!weights.is_ok()) return report_error(weights.status());
  auto device = load_device_profile(a.device);
  if (!device.is_ok()) return report_error(device.status());
  auto metrics = measure_all(a, *device);
  if (!metrics.is_ok()) return report_error(metrics.status());
  SelectionConstraints c{given(a.max_latency_ms), given(a.max_energy_mj), given(a.max_memory_mib),
                         given(a.min_accuracy), device->name, device->memory_bytes()};
  auto selection = select_variant(*metrics, c, *weights);
  if (!selection.is_ok()) return report_error(selection.status());
  if (!a.report.empty()) {
    Status w = report::select_report(*selection).write(a.report);
    if (!w.is_ok()) return report_error(w);
  }
  if (a.json) {
    nlohmann::json j = to_json(*selection);
    j["latency_method"] = device->tier == DeviceTier::kHost ? "measured" : "roofline";
    j["device_memory_bytes"] = device->memory_bytes();
    if (!a.report.empty()) j["report"] = a.report;
    std::cout << j.dump(2) << "\n";
  } else {
    if (a.explain) std::cout << explain_selection(*selection);
    else print_table(*selection, *device);
    if (!a.report.empty()) std::printf("report      %s\n", a.report.c_str());
  }
  return selection->chosen() ? 0 : 1;
}

}  // namespace

void add_select_command(CLI::App& app) {
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("select", "Choose the model variant for a device: constraints, then a weighted objective");
  cmd->add_option("--variants", a->variants, "Model files to choose from, comma-separated: A.onnx,B.onnx,C.onnx")
      ->required()
      ->delimiter(',');
  cmd->add_option("--device", a->device, "Device profile: a name from `edgewise device --profiles`, host, or a .json")
      ->capture_default_str();
  cmd->add_option("--max-latency-ms", a->max_latency_ms, "Reject variants slower than this (ms per inference)");
  cmd->add_option("--max-energy-mj", a->max_energy_mj, "Reject variants using more energy per inference (mJ)");
  cmd->add_option("--max-memory-mib", a->max_memory_mib,
                  "Reject variants needing more memory (MiB); every variant must also fit the device's memory");
  cmd->add_option("--min-accuracy", a->min_accuracy, "Reject variants below this top-1 accuracy (a fraction, e.g. 0.9)");
  cmd->add_option("--accuracy", a->accuracy, "Known top-1 accuracy of each variant, in --variants order: 0.91,0.90,...")
      ->delimiter(',');
  cmd->add_option("--dataset", a->dataset, "Measure top-1 accuracy instead: fashion-mnist (test split)");
  cmd->add_option("--eval-count", a->eval_count, "With --dataset: the first N test samples (default: all 10,000)");
  cmd->add_option("--weights", a->weights, "α,β,γ,δ of α·Latency + β·Energy + γ·Bandwidth + δ·Cost")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "Intra-op threads for the host benchmark and evaluation")
      ->capture_default_str();
  cmd->add_option("--dims", a->dims, "Symbolic input dims, e.g. N=1 (unbound ones are 1)");
  cmd->add_option("--bench-runs", a->bench_runs, "On host: at least this many timed runs per variant")
      ->capture_default_str();
  cmd->add_option("--bench-secs", a->bench_secs, "On host: and at least this many seconds per variant")
      ->capture_default_str();
  cmd->add_flag("--explain", a->explain, "Per variant: every metric, the constraints it broke or its score breakdown");
  cmd->add_flag("--json", a->json, "Print the selection as JSON (variants with metrics, verdicts and score terms)");
  cmd->add_option("--report", a->report, "Write an HTML report: latency-accuracy plane, latency/energy/memory bars");
  cmd->footer(
      "Metrics per variant: latency (host: measured P50 of a quick benchmark; other profiles: roofline prediction),\n"
      "energy per inference (the profile's roofline energy model: MACs x pJ/MAC + DRAM bytes x pJ/byte + static\n"
      "power x that latency), memory (the runtime's parameter bytes + the memory planner's arena with every\n"
      "intermediate planned, XNNPACK off; device independent, compared with the profile's memory size),\n"
      "bandwidth (the model file's bytes: what an over-the-air update ships) and accuracy (--accuracy, or\n"
      "measured with --dataset).\n"
      "Score (lower is better) = α·Latency + β·Energy + γ·Bandwidth + δ·Cost, each term the variant's value divided\n"
      "by the best value among the kept variants, so weights are unitless. Cost = top-1 error (1 - accuracy): a\n"
      "variant with twice the best error rate has Cost 2; without accuracies the Cost term is left out.\n"
      "Exit code: 0 when a variant is selected, 1 when every variant breaks a constraint, 2 on bad input.");
  cmd->callback([a] { exit_code() = run(*a); });
}

}  // namespace ew::cli
