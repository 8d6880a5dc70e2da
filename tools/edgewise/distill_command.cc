// edgewise distill: trains a student (ONNX or model spec) to match a teacher's
// softened logits, or a progressive chain of students, and reports every
// stage's size, accuracy and latency.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "device/device_profile.h"
#include "distill/chain.h"
#include "report/distill_report.h"
#include "train_arguments.h"

namespace ew::cli {
namespace {

namespace fs = std::filesystem;

struct DistillArgs {
  TrainArgs train;
  std::string teacher, student, chain, cache_dir, device;
  double temperature = 4.0, alpha = 0.5, beta = 0.5, gamma = 0.0;
  bool alongside = false;
  int latency_runs = 20;
};

std::string default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/edgewise/teacher-logits";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/edgewise/teacher-logits";
  return "";
}

// Teacher first; intermediate stages are written beside the output as OUT.stageN.onnx.
Result<std::vector<distill::ChainStage>> chain_of(const DistillArgs& a) {
  std::vector<std::string> sources;
  if (!a.chain.empty()) {
    if (!a.teacher.empty() || !a.student.empty()) return invalid_argument("give --chain, or --teacher and --student, not both");
    sources = split_commas(a.chain);
  } else {
    if (a.teacher.empty() || a.student.empty()) return invalid_argument("give --teacher T.onnx and --student (S.onnx | SPEC.json)");
    sources = {a.teacher, a.student};
  }
  if (sources.size() < 2) return invalid_argument("--chain needs a teacher and at least one student: T.onnx,S.json");
  std::vector<distill::ChainStage> stages;
  const fs::path out(a.train.output);
  for (size_t i = 0; i < sources.size(); ++i) {
    std::string output;
    if (i + 1 == sources.size()) output = a.train.output;
    else if (i > 0) output = (out.parent_path() / (out.stem().string() + ".stage" + std::to_string(i) + ".onnx")).string();
    stages.push_back({sources[i], output});
  }
  return stages;
}

nlohmann::json stage_json(const distill::StageReport& s, size_t i) {
  const distill::StageMetrics& m = s.metrics;
  nlohmann::json j{{"stage", i}, {"source", s.stage.source}, {"path", m.path}, {"parameters", m.parameters},
                   {"file_bytes", m.file_bytes}};
  j["accuracy"] = m.accuracy >= 0 ? nlohmann::json(m.accuracy) : nlohmann::json(nullptr);
  j["measured_p50_ms"] = m.measured_p50_ms >= 0 ? nlohmann::json(m.measured_p50_ms) : nlohmann::json(nullptr);
  j["predicted_ms"] = m.predicted_ms >= 0 ? nlohmann::json(m.predicted_ms) : nlohmann::json(nullptr);
  if (s.distill) {
    j["training"] = train_report_json(s.distill->train, m.path);
    j["teacher_logits"] = s.distill->alongside
                              ? nlohmann::json{{"mode", "alongside"}}
                              : nlohmann::json{{"mode", "cached"}, {"path", s.distill->cache.path},
                                               {"reused", s.distill->cache.reused}, {"seconds", s.distill->cache.seconds}};
  }
  return j;
}

void print_stages(const std::vector<distill::StageReport>& stages, const std::string& device, bool on_test) {
  std::printf("%-6s %-36s %11s %10s %9s %12s", "stage", "model", "parameters", "KiB", on_test ? "test top1" : "val top1",
              "host P50 ms");
  if (!device.empty()) std::printf(" %14s", (device + " ms").c_str());
  std::printf("\n");
  for (size_t i = 0; i < stages.size(); ++i) {
    const distill::StageMetrics& m = stages[i].metrics;
    const std::string name = fs::path(stages[i].stage.source).filename().string();
    char acc[16] = "-";
    if (m.accuracy >= 0) std::snprintf(acc, sizeof acc, "%.4f", m.accuracy);
    std::printf("%-6s %-36s %11lld %10.1f %9s %12.3f", i == 0 ? "T" : std::to_string(i).c_str(), name.c_str(),
                static_cast<long long>(m.parameters), m.file_bytes / 1024.0, acc, m.measured_p50_ms);
    if (!device.empty()) std::printf(" %14.4f", m.predicted_ms);
    std::printf("\n");
  }
}

int run_distill(const DistillArgs& a) {
  auto options = train_options(a.train);
  if (!options.is_ok()) return report_error(options.status());
  auto stages = chain_of(a);
  if (!stages.is_ok()) return report_error(stages.status());
  std::optional<DeviceProfile> device;
  if (!a.device.empty()) {
    auto d = load_device_profile(a.device);
    if (!d.is_ok()) return report_error(d.status());
    device = *d;
  }
  auto data = load_data_splits(a.train);
  if (!data.is_ok()) return report_error(data.status());

  distill::DistillOptions o;
  o.train = *options;
  o.train.loss.temperature = static_cast<float>(a.temperature);
  o.train.loss.alpha = static_cast<float>(a.alpha);
  o.train.loss.beta = static_cast<float>(a.beta);
  o.train.loss.gamma = static_cast<float>(a.gamma);
  o.alongside = a.alongside;
  o.cache_dir = a.cache_dir.empty() ? default_cache_dir() : a.cache_dir;
  distill::StageMetricsOptions mo;
  mo.device = device ? &*device : nullptr;
  mo.threads = a.train.threads;
  mo.runs = a.latency_runs;
  distill::ChainCallbacks cb;
  cb.progress = progress_printer(a.train);
  if (!a.train.json) {
    cb.stage_started = [&](size_t i, size_t n) {
      finish_progress();
      std::fprintf(stderr, "stage %zu of %zu: distilling %s into %s\n", i, n - 1, (*stages)[i - 1].source.c_str(),
                   (*stages)[i].source.c_str());
    };
    cb.cache_progress = [](int64_t done, int64_t rows) {
      std::fprintf(stderr, "\r\033[Kteacher logits %lld/%lld", static_cast<long long>(done), static_cast<long long>(rows));
      if (done == rows) std::fprintf(stderr, "\n");
    };
  }
  // Stages are scored on the test split, or on the validation split without one.
  const bool on_test = data->on_test;
  auto report = distill::distill_chain(*stages, data->train, data->validation, data->eval, o, mo, cb);
  finish_progress();
  if (!report.is_ok()) return report_error(report.status());
  if (!a.train.report.empty()) {
    Status s = report::write_distill_report(*report, "edgewise distill: " + a.train.output, a.train.report);
    if (!s.is_ok()) return report_error(s);
  }
  nlohmann::json j{{"output", a.train.output},
                   {"accuracy_on", on_test ? "test" : "validation"},
                   {"temperature", a.temperature},
                   {"alpha", a.alpha},
                   {"beta", a.beta},
                   {"gamma", a.gamma},
                   {"device", a.device.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.device)},
                   {"stages", nlohmann::json::array()}};
  for (size_t i = 0; i < report->size(); ++i) j["stages"].push_back(stage_json((*report)[i], i));
  if (a.train.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  for (size_t i = 1; i < report->size(); ++i) {
    std::printf("stage %zu (%s):\n", i, (*report)[i].stage.source.c_str());
    print_epochs((*report)[i].distill->train);
  }
  print_stages(*report, a.device, on_test);
  std::printf("saved %s\n", a.train.output.c_str());
  return 0;
}

}  // namespace

void add_distill_command(CLI::App& app) {
  auto a = std::make_shared<DistillArgs>();
  auto* cmd = app.add_subcommand(
      "distill",
      "Train a student to match a teacher: L = alpha CE(y, s) + beta T^2 KL(softmax(t/T) || softmax(s/T)) + gamma |theta|^2");
  cmd->add_option("--teacher", a->teacher, "The trained teacher .onnx");
  cmd->add_option("--student", a->student, "The student: an .onnx model or a model spec .json (docs/TRAINING.md)");
  cmd->add_option("--chain", a->chain,
                  "Progressive distillation T.onnx,M.json,S.json,...: each stage learns from the one before; "
                  "intermediate stages are written as OUT.stageN.onnx");
  cmd->add_option("-o,--output", a->train.output, "Where to write the distilled student .onnx")->required();
  cmd->add_option("--temperature", a->temperature, "Softening temperature T (default 4)");
  cmd->add_option("--alpha", a->alpha, "Weight of the cross-entropy with the labels (default 0.5)");
  cmd->add_option("--beta", a->beta, "Weight of the T^2-scaled KL divergence to the teacher (default 0.5)");
  cmd->add_option("--gamma", a->gamma, "Weight of the squared L2 norm of the student's parameters (default 0)");
  cmd->add_option("--teacher-cache", a->cache_dir,
                  "Folder of cached teacher logits (default ~/.cache/edgewise/teacher-logits)");
  cmd->add_flag("--alongside", a->alongside,
                "Run the teacher on every batch instead of caching its logits (always so with augmentation)");
  cmd->add_option("--device", a->device, "Also predict each stage's latency on this device profile (see `edgewise device`)");
  cmd->add_option("--latency-runs", a->latency_runs, "Timed runs of each stage's host latency (default 20; 0: skip)");
  add_train_options(cmd, a->train);
  add_bool_flag(cmd, "--test", a->train.test, "With --dataset fashion-mnist: report accuracy on the test split (default on)");
  cmd->add_option("--report", a->train.report, "Write an HTML report: every stage's accuracy, size and latency, and curves");
  cmd->add_flag("--json", a->train.json, "Print the result as JSON");
  cmd->callback([a] { exit_code() = run_distill(*a); });
}

}  // namespace ew::cli
