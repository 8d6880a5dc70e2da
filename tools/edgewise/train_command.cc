// edgewise train: trains an ONNX model or a model spec (JSON) on Fashion-MNIST
// or .npy pairs, with checkpoints that survive a crash, and writes an
// inference ONNX model.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "report/train_report.h"
#include "train/model_builder.h"
#include "train_arguments.h"

namespace ew::cli {
namespace {

int run_train(const TrainArgs& a) {
  auto options = train_options(a);
  if (!options.is_ok()) return report_error(options.status());
  auto model = train::load_model_or_spec(a.model);
  if (!model.is_ok()) return report_error(model.status());
  auto data = load_training_data(a);
  if (!data.is_ok()) return report_error(data.status());
  auto test_data = load_test_data(a);  // Fashion-MNIST's test split (of --classes): accuracy before and after
  if (!test_data.is_ok()) return report_error(test_data.status());
  const train::TrainingData& test = *test_data;
  train::Evaluation before;
  if (test.size() > 0) {
    auto e = train::evaluate(*model, test, 256, a.threads);
    if (!e.is_ok()) return report_error(e.status());
    before = *e;
  }
  auto split = train::split_validation(*data, a.validation, a.seed);
  if (!split.is_ok()) return report_error(split.status());
  if (!a.json)
    std::fprintf(stderr, "training on %lld samples, validating on %lld\n", static_cast<long long>(split->first.size()),
                 static_cast<long long>(split->second.size()));
  auto report = train::train(*model, split->first, split->second, *options, progress_printer(a));
  finish_progress();
  if (!report.is_ok()) return report_error(report.status());
  Status s = save_onnx(*model, a.output);
  if (!s.is_ok()) return report_error(s);
  nlohmann::json j = train_report_json(*report, a.output);
  if (test.size() > 0) {
    auto e = train::evaluate(*model, test, 256, a.threads);
    if (!e.is_ok()) return report_error(e.status());
    j["test"] = {{"count", e->count}, {"loss", e->loss}, {"accuracy", e->accuracy}, {"accuracy_before", before.accuracy},
                 {"classes", a.classes.empty() ? "all" : a.classes}};
  }
  if (!a.report.empty()) {
    s = report::write_train_report(*report, "edgewise train: " + a.model, a.report);
    if (!s.is_ok()) return report_error(s);
  }
  if (a.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  print_epochs(*report);
  if (j.contains("test"))
    std::printf("test accuracy on %lld Fashion-MNIST test images%s: %.4f before training, %.4f after\n",
                j["test"]["count"].get<long long>(), a.classes.empty() ? "" : (" of classes " + a.classes).c_str(),
                j["test"]["accuracy_before"].get<double>(), j["test"]["accuracy"].get<double>());
  std::printf("training graph memory: %s planned (%s if every tensor had its own buffer)\n",
              human_bytes(static_cast<double>(report->arena_bytes)).c_str(),
              human_bytes(static_cast<double>(report->naive_bytes)).c_str());
  std::printf("saved %s (%lld optimizer steps%s)\n", a.output.c_str(), static_cast<long long>(report->steps),
              report->resumed_from_step >= 0 ? (", resumed at step " + std::to_string(report->resumed_from_step)).c_str() : "");
  return 0;
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Train an ONNX model or a model spec (.json) and write an inference ONNX model");
  cmd->add_option("model", a->model, "ONNX model, or a model spec .json (mlp | mobilenetv2 | resnet; docs/TRAINING.md)")->required();
  cmd->add_option("-o,--output", a->output, "Where to write the trained .onnx")->required();
  add_train_options(cmd, *a);
  cmd->add_option("--loss", a->loss, "cross-entropy (default) | mse | l1 | bce-with-logits");
  add_bool_flag(cmd, "--test", a->test, "With --dataset fashion-mnist: report accuracy on the test split (default on)");
  cmd->add_option("--report", a->report, "Write an HTML report with loss and accuracy curves");
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->callback([a] { exit_code() = run_train(*a); });
}

}  // namespace ew::cli
