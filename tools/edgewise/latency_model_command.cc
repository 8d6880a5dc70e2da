// edgewise latency-model collect|fit|eval: the calibrated latency predictor
// (src/device/latency_predictor.h). `collect` measures every executed step of
// models on this host, `fit` fits the per-kernel model (saved by default next
// to the host profile cache, keyed to this machine), and `eval` measures it
// honestly: fit on some models, predict others.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "device/host_profile.h"
#include "device/latency_eval.h"
#include "device/sampled_kernels.h"

namespace ew::cli {

namespace {

namespace fs = std::filesystem;

struct Args {
  std::vector<std::string> models, samples, train, test, train_only;
  std::string output, save_samples, markdown;
  std::vector<std::string> dims;
  CollectOptions collect;
  bool loo = false, absolute = false, json = false;
  LatencyFitOptions fit;
  double tolerance = 0.1;
  int kernels = 0;
  uint64_t kernel_seed = 1;
};

// A model file; a folder holding model.onnx; or a folder of such folders and .onnx files (sorted).
Result<std::vector<std::string>> expand_models(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    fs::path p(a);
    if (!fs::exists(p)) return not_found("no such model file or folder: " + a);
    if (!fs::is_directory(p)) {
      out.push_back(a);
      continue;
    }
    if (fs::exists(p / "model.onnx")) {
      out.push_back((p / "model.onnx").string());
      continue;
    }
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(p)) {
      if (e.is_directory() && fs::exists(e.path() / "model.onnx")) found.push_back((e.path() / "model.onnx").string());
      else if (e.is_regular_file() && e.path().extension() == ".onnx") found.push_back(e.path().string());
    }
    if (found.empty()) return not_found(a + " holds no model.onnx and no .onnx file");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

CollectProgress stderr_progress() {
  bool tty = isatty(STDERR_FILENO);
  return [tty](int done, int total, int round, int rounds) {
    if (!tty && done != total) return;  // logs: one line per pass
    std::fprintf(stderr, "%slatency-model: measuring pass %d/%d, model %d/%d%s", tty ? "\r" : "", round, rounds, done,
                 total, tty ? "" : "\n");
  };
}

// Samples from --samples files plus measurements of the model arguments.
Result<std::vector<ModelSamples>> gather(const Args& a) {
  std::vector<ModelSamples> all;
  for (const std::string& f : a.samples) {
    EW_ASSIGN_OR_RETURN(auto s, load_samples(f));
    all.insert(all.end(), s.begin(), s.end());
  }
  if (!a.models.empty() || a.kernels > 0) {
    EW_ASSIGN_OR_RETURN(auto paths, expand_models(a.models));
    std::vector<ModelSource> sources;
    for (const std::string& p : paths) sources.push_back({model_display_name(p), p, std::nullopt});
    EW_ASSIGN_OR_RETURN(auto kernels, sample_kernel_models(a.kernels, a.kernel_seed));
    for (SampledKernel& k : kernels) sources.push_back({k.name, "", std::move(k.model)});
    CollectOptions o = a.collect;
    EW_ASSIGN_OR_RETURN(o.dims, parse_dims(a.dims));
    auto measured = collect_samples(std::move(sources), o, stderr_progress());
    if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
    if (!measured.is_ok()) return measured.status();
    if (!a.save_samples.empty()) EW_RETURN_IF_ERROR(save_samples(*measured, a.save_samples));
    all.insert(all.end(), measured->begin(), measured->end());
  }
  if (all.empty()) return invalid_argument("give models to measure, --kernels N, or --samples FILE");
  return all;
}

int run_collect(const Args& a) {
  if (a.output.empty()) return report_error(invalid_argument("collect needs -o FILE"));
  Args b = a;
  b.samples.clear();
  b.save_samples = a.output;
  auto s = gather(b);
  if (!s.is_ok()) return report_error(s.status());
  if (a.json) {
    std::cout << samples_to_json(*s, host_fingerprint()).dump(1) << "\n";
    return 0;
  }
  std::printf("%-28s %10s %6s\n", "model", "ms", "steps");
  for (const ModelSamples& m : *s) std::printf("%-28.28s %10.3f %6zu\n", m.name.c_str(), m.measured_ms, m.steps.size());
  std::printf("wrote %s\n", a.output.c_str());
  return 0;
}

LatencyFitOptions fit_options(const Args& a) {
  LatencyFitOptions fo = a.fit;
  fo.relative = !a.absolute;
  return fo;
}

int run_fit(const Args& a) {
  auto s = gather(a);
  if (!s.is_ok()) return report_error(s.status());
  auto host = load_device_profile("host");
  if (!host.is_ok()) return report_error(host.status());
  const LatencyFitOptions fo = fit_options(a);
  auto m = fit_latency_model(*s, *host, fo);
  if (!m.is_ok()) return report_error(m.status());
  std::string path = a.output.empty() ? default_latency_model_path() : a.output;
  if (path.empty()) return report_error(invalid_argument("no default location (HOME unset): pass -o FILE"));
  Status st = save_latency_model(*m, path);
  if (!st.is_ok()) return report_error(st);
  EvaluationReport self = evaluate_latency_model(*m, *s, a.tolerance);
  if (a.json) {
    std::cout << nlohmann::json{{"path", path}, {"model", to_json(*m)}, {"training_fit", to_json(self)}}.dump(2) << "\n";
    return 0;
  }
  int terms = 0;
  for (const auto& [k, v] : m->coefficients) terms += v > 0;
  std::printf("fitted on %zu models, %d steps: %d non-zero terms of %zu; run overhead %.3f ms; fallback efficiency %.3f\n",
              m->trained_on.size(), m->training_steps, terms, m->coefficients.size(), m->run_overhead_ms, m->efficiency);
  std::printf("on its own training data (not a test): %.0f%% of models and %.0f%% of ops within ±%.0f%%\n",
              100 * self.share_models_within, 100 * self.share_ops_within, 100 * a.tolerance);
  std::printf("wrote %s\n", path.c_str());
  return 0;
}

void print_report(const EvaluationReport& r) {
  std::printf("protocol: %s (each test model predicted by a fit that never saw it)\n\n", r.protocol.c_str());
  std::printf("%-28s %11s %11s %8s %12s %8s\n", "model", "measured ms", "predicted", "error", "ops within", "fallback");
  for (const ModelEvaluation& e : r.models)
    std::printf("%-28.28s %11.3f %11.3f %+7.1f%% %6d/%-5d %8d%s\n", e.name.c_str(), e.measured_ms, e.predicted_ms,
                100 * e.error, e.ops_within, e.ops, e.fallback_ops, std::fabs(e.error) <= r.tolerance ? "" : "  *");
  std::printf("\nmodels within ±%.0f%%: %.1f%% (%zu models); median |error| %.1f%%\n", 100 * r.tolerance,
              100 * r.share_models_within, r.models.size(), 100 * r.median_abs_model_error);
  std::printf("ops within ±%.0f%%:    %.1f%% (%d of %d; %.1f%% of measured op time); median |error| %.1f%%; %d ops fell "
              "back to the roofline\n",
              100 * r.tolerance, 100 * r.share_ops_within, r.ops_within, r.ops, 100 * r.share_op_time_within,
              100 * r.median_abs_op_error, r.fallback_ops);
  std::printf("\n%-44s %6s %8s %12s\n", "kernel type", "ops", "within", "median |err|");
  for (const auto& [k, v] : r.kernel_types)
    std::printf("%-44.44s %6d %7.0f%% %11.1f%%\n", k.c_str(), v.ops, 100.0 * v.ops_within / std::max(v.ops, 1),
                100 * v.median_abs_error);
}

std::string markdown_report(const EvaluationReport& r) {
  char line[512];
  std::string md = "| model | measured ms | predicted ms | error | ops within ±" + std::to_string(int(100 * r.tolerance + 0.5)) +
                   "% | fallback ops |\n|---|---:|---:|---:|---:|---:|\n";
  for (const ModelEvaluation& e : r.models) {
    std::snprintf(line, sizeof line, "| %s | %.3f | %.3f | %+.1f%% | %d/%d | %d |\n", e.name.c_str(), e.measured_ms,
                  e.predicted_ms, 100 * e.error, e.ops_within, e.ops, e.fallback_ops);
    md += line;
  }
  std::snprintf(line, sizeof line,
                "\nProtocol: %s. Models within ±%.0f%%: **%.1f%%** of %zu (median |error| %.1f%%). "
                "Ops within ±%.0f%%: **%.1f%%** of %d (%.1f%% of measured op time; median |error| %.1f%%).\n",
                r.protocol.c_str(), 100 * r.tolerance, 100 * r.share_models_within, r.models.size(),
                100 * r.median_abs_model_error, 100 * r.tolerance, 100 * r.share_ops_within, r.ops,
                100 * r.share_op_time_within, 100 * r.median_abs_op_error);
  md += line;
  md += "\n| kernel type | ops | within | median abs error |\n|---|---:|---:|---:|\n";
  for (const auto& [k, v] : r.kernel_types) {
    std::snprintf(line, sizeof line, "| %s | %d | %.0f%% | %.1f%% |\n", k.c_str(), v.ops,
                  100.0 * v.ops_within / std::max(v.ops, 1), 100 * v.median_abs_error);
    md += line;
  }
  return md;
}

int run_eval(const Args& a) {
  if (a.loo == (!a.train.empty() || !a.test.empty()))
    return report_error(invalid_argument("give either --loo or both --train and --test"));
  auto s = gather(a);
  if (!s.is_ok()) return report_error(s.status());
  auto host = load_device_profile("host");
  if (!host.is_ok()) return report_error(host.status());
  const LatencyFitOptions fo = fit_options(a);
  auto r = a.loo ? evaluate_leave_one_out(*s, a.train_only, *host, fo, a.tolerance)
                 : evaluate_split(*s, a.train, a.test, *host, fo, a.tolerance);
  if (!r.is_ok()) return report_error(r.status());
  if (!a.markdown.empty()) {
    std::ofstream md(a.markdown);
    md << markdown_report(*r);
    if (!md) return report_error(io_error("cannot write " + a.markdown));
  }
  if (a.json) std::cout << to_json(*r).dump(2) << "\n";
  else print_report(*r);
  return 0;
}

void add_measure_options(CLI::App* cmd, Args& a) {
  cmd->add_option("models", a.models, "ONNX models, folders holding model.onnx, or folders of those (measured now)");
  cmd->add_option("--samples", a.samples, "Kernel-sample files written by `latency-model collect` (repeatable)");
  cmd->add_option("--rounds", a.collect.rounds, "Interleaved measuring passes over all models (min of medians)")
      ->capture_default_str();
  cmd->add_option("--runs", a.collect.runs, "Timed runs per model per pass")->capture_default_str();
  cmd->add_option("--warmup", a.collect.warmup, "Untimed runs per model per pass")->capture_default_str();
  cmd->add_option("--dims", a.dims, "Symbolic input dims for models without test_data_set_0, e.g. N=1");
  cmd->add_option("--kernels", a.kernels,
                  "Also measure this many sampled one-kernel models (named kernel_*: conv, depthwise, pooling, add, "
                  "concat, gemm, batch norm over varied shapes), as nn-Meter samples kernel configurations")
      ->capture_default_str();
  cmd->add_option("--kernel-seed", a.kernel_seed, "Seed of the sampled kernel configurations")->capture_default_str();
  cmd->add_flag("--json", a.json, "Print JSON");
}

void add_fit_options(CLI::App* cmd, Args& a) {
  cmd->add_flag("--absolute", a.absolute, "Minimise absolute instead of relative error");
  cmd->add_option("--const-ridge", a.fit.const_ridge, "Ridge penalty on per-call constants (scaled columns)")
      ->capture_default_str();
  add_bool_flag(cmd, "--balance", a.fit.balance_models, "Weigh each model's steps by 1/sqrt(its step count)");
  cmd->add_option("--kernel-weight", a.fit.sampled_kernel_weight, "Row weight of sampled kernel_* models in the fit")
      ->capture_default_str();
  cmd->add_option("--work-ridge", a.fit.work_ridge, "Ridge penalty on per-MAC/byte/element rates")->capture_default_str();
}

}  // namespace

void add_latency_model_command(CLI::App& app) {
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("latency-model",
                                 "Calibrated latency predictor for this host: measure kernels, fit, and evaluate on held-out models");
  cmd->require_subcommand(1);
  cmd->footer("Steps are timed with one thread; each step's time is the minimum over passes of its median run.\n"
              "Measure on a quiet machine: other work on the CPU inflates and scatters the times.");

  auto* collect = cmd->add_subcommand("collect", "Measure every executed step of the models and write kernel samples");
  add_measure_options(collect, *a);
  collect->add_option("-o,--output", a->output, "Samples file to write (JSON)")->required();
  collect->callback([a] { exit_code() = run_collect(*a); });

  auto* fit = cmd->add_subcommand("fit", "Fit the per-kernel latency model on measured models and save it");
  add_measure_options(fit, *a);
  fit->add_option("-o,--output", a->output, "Model file (default: latency_model.json beside the host profile cache)");
  fit->add_option("--save-samples", a->save_samples, "Also write the measured samples here");
  add_fit_options(fit, *a);
  fit->add_option("--tolerance", a->tolerance, "Tolerance for the training-fit summary")->capture_default_str();
  fit->callback([a] { exit_code() = run_fit(*a); });

  auto* eval = cmd->add_subcommand("eval", "Fit on some models, predict the others, and count models and ops within tolerance");
  add_measure_options(eval, *a);
  eval->add_option("--train", a->train, "Model names to fit on (comma-separated)")->delimiter(',');
  eval->add_option("--test", a->test, "Model names to predict (comma-separated)")->delimiter(',');
  eval->add_flag("--loo", a->loo, "Leave-one-model-out over all models");
  eval->add_option("--train-only", a->train_only, "With --loo: models always fitted on, never tested (comma-separated; NAME* matches a prefix, e.g. kernel_*)")
      ->delimiter(',');
  eval->add_option("--tolerance", a->tolerance, "Relative tolerance (0.1 = ±10%)")->capture_default_str();
  eval->add_option("--save-samples", a->save_samples, "Also write the measured samples here");
  eval->add_option("--markdown", a->markdown, "Also write the per-model and per-kernel-type tables as Markdown");
  add_fit_options(eval, *a);
  eval->footer("Model names are folder names for DIR/model.onnx, else file stems.");
  eval->callback([a] { exit_code() = run_eval(*a); });
}

}  // namespace ew::cli
