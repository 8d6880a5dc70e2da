// edgewise train: trains an ONNX model or a model spec (JSON) on Fashion-MNIST
// or .npy pairs, with checkpoints that survive a crash, and writes an
// inference ONNX model.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "report/train_report.h"
#include "train/model_builder.h"
#include "train/trainer.h"

namespace ew::cli {
namespace {

struct Args {
  std::string model, output, dataset, data, labels, report, freeze, train_only, classes, loss = "cross-entropy";
  std::string optimizer = "adamw", schedule = "constant", checkpoint;
  int epochs = 1, threads = 1, accumulate = 1, train_count = 0;
  int64_t batch_size = 64, checkpoint_every = 100, max_steps = 0, crop_padding = 0;
  double lr = 1e-3, momentum = 0.9, weight_decay = 0.0, clip_norm = 0.0, label_smoothing = 0.0, validation = 0.1;
  uint64_t seed = 1;
  bool nesterov = false, resume = false, json = false, flip = false, test = true;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

Result<Model> load_model_or_spec(const std::string& path) {
  if (train::looks_like_model_spec(path)) {
    EW_ASSIGN_OR_RETURN(train::ModelSpec spec, train::read_model_spec(path));
    return train::build_model(spec);
  }
  return load_onnx(path);
}

Result<std::vector<int64_t>> class_list(const Args& a) {
  std::vector<int64_t> out;
  for (const std::string& c : split_commas(a.classes)) {
    try {
      out.push_back(std::stoll(c));
    } catch (...) {
      return invalid_argument("--classes takes class indices like 0,2,4; got '" + c + "'");
    }
  }
  return out;
}

// The data, restricted to --classes when given.
Result<train::TrainingData> restrict(const Args& a, train::TrainingData d) {
  EW_ASSIGN_OR_RETURN(std::vector<int64_t> classes, class_list(a));
  if (classes.empty()) return d;
  return train::select_classes(d, classes);
}

Result<train::TrainingData> load_data(const Args& a) {
  if (!a.dataset.empty() && !a.data.empty()) return invalid_argument("give --dataset or --data/--labels, not both");
  if (a.dataset == "fashion-mnist") {
    EW_ASSIGN_OR_RETURN(LabeledDataset d, load_fashion_mnist("train", a.train_count));
    return train::from_labeled(d);
  }
  if (!a.dataset.empty()) return invalid_argument("unknown --dataset '" + a.dataset + "' (fashion-mnist)");
  if (a.data.empty() || a.labels.empty()) return invalid_argument("give --dataset fashion-mnist, or --data X.npy --labels Y.npy");
  return train::load_npy_pair(a.data, a.labels);
}

Result<train::TrainOptions> train_options(const Args& a) {
  train::TrainOptions o;
  o.epochs = a.epochs;
  o.batch_size = a.batch_size;
  o.accumulate = a.accumulate;
  o.optimizer.kind = a.optimizer;
  o.optimizer.momentum = a.momentum;
  o.optimizer.nesterov = a.nesterov;
  o.optimizer.weight_decay = a.weight_decay;
  o.lr = a.lr;
  o.schedule = a.schedule;
  o.clip_norm = a.clip_norm;
  o.loss.kind = a.loss;
  o.loss.label_smoothing = static_cast<float>(a.label_smoothing);
  o.freeze = split_commas(a.freeze);
  o.train_only = split_commas(a.train_only);
  o.augment.crop_padding = a.crop_padding;
  o.augment.horizontal_flip = a.flip;
  o.threads = a.threads;
  o.seed = a.seed;
  o.checkpoint_dir = a.checkpoint;
  o.checkpoint_every = a.checkpoint_every;
  o.resume = a.resume;
  o.max_steps = a.max_steps;
  if (a.output.empty()) return invalid_argument("-o/--output is required");
  return o;
}

void print_progress(const train::TrainProgress& p) {
  const int width = 24;
  const int done = static_cast<int>(width * p.batch / std::max<int64_t>(p.batches, 1));
  std::string bar(static_cast<size_t>(done), '=');
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r\033[Kepoch %d/%d [%s] %lld/%lld loss %.4f", p.epoch, p.epochs, bar.c_str(),
               static_cast<long long>(p.batch), static_cast<long long>(p.batches), p.loss);
  if (p.accuracy >= 0) std::fprintf(stderr, " acc %.4f", p.accuracy);
  std::fprintf(stderr, " %.0f samples/s ETA %d:%02d", p.samples_per_second, static_cast<int>(p.eta_seconds) / 60,
               static_cast<int>(p.eta_seconds) % 60);
}

nlohmann::json report_json(const train::TrainReport& r, const Args& a) {
  nlohmann::json j{{"output", a.output}, {"steps", r.steps}, {"parameters", r.parameters.size()},
                   {"parameter_values", r.parameter_count}, {"frozen", r.frozen}, {"arena_bytes", r.arena_bytes},
                   {"naive_bytes", r.naive_bytes}};
  if (r.resumed_from_step >= 0) j["resumed_from_step"] = r.resumed_from_step;
  if (!r.checkpoint_warning.empty()) j["checkpoint_warning"] = r.checkpoint_warning;
  j["epochs"] = nlohmann::json::array();
  for (const auto& e : r.epochs)
    j["epochs"].push_back({{"epoch", e.epoch}, {"train_loss", e.train_loss}, {"train_accuracy", e.train_accuracy},
                           {"val_loss", e.val_loss}, {"val_accuracy", e.val_accuracy}, {"seconds", e.seconds},
                           {"samples_per_second", e.samples_per_second}});
  return j;
}

int run_train(const Args& a) {
  auto options = train_options(a);
  if (!options.is_ok()) return report_error(options.status());
  auto model = load_model_or_spec(a.model);
  if (!model.is_ok()) return report_error(model.status());
  auto data = load_data(a);
  if (data.is_ok()) data = restrict(a, *data);
  if (!data.is_ok()) return report_error(data.status());
  train::TrainingData test;  // Fashion-MNIST's test split (of --classes): accuracy before and after
  if (a.dataset == "fashion-mnist" && a.test) {
    auto t = load_fashion_mnist("test", 0);
    auto r = t.is_ok() ? restrict(a, train::from_labeled(*t)) : Result<train::TrainingData>(t.status());
    if (!r.is_ok()) return report_error(r.status());
    test = *r;
  }
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
  bool progressed = false;
  auto last = std::chrono::steady_clock::now();
  auto report = train::train(*model, split->first, split->second, *options, [&](const train::TrainProgress& p) {
    if (a.json) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.batch != p.batches && now - last < std::chrono::milliseconds(250)) return;  // a few lines a second
    last = now;
    progressed = true;
    print_progress(p);
    if (p.batch == p.batches) std::fprintf(stderr, "\n");
    progressed = p.batch != p.batches;
  });
  if (progressed) std::fprintf(stderr, "\n");
  if (!report.is_ok()) return report_error(report.status());
  Status s = save_onnx(*model, a.output);
  if (!s.is_ok()) return report_error(s);
  nlohmann::json j = report_json(*report, a);
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
  for (const auto& e : report->epochs) {
    std::printf("epoch %d: train loss %.4f", e.epoch, e.train_loss);
    if (e.train_accuracy >= 0) std::printf(" acc %.4f", e.train_accuracy);
    if (e.val_loss >= 0) std::printf(", validation loss %.4f", e.val_loss);
    if (e.val_accuracy >= 0) std::printf(" acc %.4f", e.val_accuracy);
    std::printf(" (%.1f s, %.0f samples/s)\n", e.seconds, e.samples_per_second);
  }
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
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("train", "Train an ONNX model or a model spec (.json) and write an inference ONNX model");
  cmd->add_option("model", a->model, "ONNX model, or a model spec .json (mlp | mobilenetv2 | resnet; docs/TRAINING.md)")->required();
  cmd->add_option("-o,--output", a->output, "Where to write the trained .onnx")->required();
  cmd->add_option("--dataset", a->dataset, "Named dataset: fashion-mnist (training split; test accuracy reported)");
  cmd->add_option("--data", a->data, "Inputs .npy, float32 [N, ...]");
  cmd->add_option("--labels", a->labels, "Labels .npy: class indices [N] or float targets [N, ...]");
  cmd->add_option("--train-count", a->train_count, "Use the first N training samples (0: all)");
  cmd->add_option("--validation", a->validation, "Share of the data held out for validation each epoch (default 0.1)");
  cmd->add_option("--epochs", a->epochs, "Epochs (default 1)");
  cmd->add_option("--batch-size", a->batch_size, "Batch size (default 64)");
  cmd->add_option("--accumulate", a->accumulate, "Batches per optimizer step (gradient accumulation, default 1)");
  cmd->add_option("--optimizer", a->optimizer, "sgd | adam | adamw (default)");
  cmd->add_option("--lr", a->lr, "Learning rate (default 1e-3)");
  cmd->add_option("--momentum", a->momentum, "SGD momentum (default 0.9)");
  cmd->add_flag("--nesterov", a->nesterov, "SGD with Nesterov momentum");
  cmd->add_option("--weight-decay", a->weight_decay, "Weight decay: L2 for sgd/adam, decoupled for adamw (default 0)");
  cmd->add_option("--schedule", a->schedule,
                  "constant | step:SIZE[:GAMMA] | cosine[:FINAL_LR] | onecycle[:MAX_LR[:PCT]], plus ,warmup:STEPS");
  cmd->add_option("--clip-norm", a->clip_norm, "Clip gradients to this global L2 norm (0: off)");
  cmd->add_option("--loss", a->loss, "cross-entropy (default) | mse | l1 | bce-with-logits");
  cmd->add_option("--label-smoothing", a->label_smoothing, "Cross-entropy label smoothing in [0, 1)");
  cmd->add_option("--freeze", a->freeze, "Comma-separated name patterns of parameters kept constant, e.g. 'stem.*'");
  cmd->add_option("--train-only", a->train_only,
                  "Comma-separated name patterns of the only parameters that train, e.g. 'fc.*' (fine-tune a head)");
  cmd->add_option("--classes", a->classes, "Train and test on these class indices only, e.g. 0,2,4,6 (personalisation)");
  cmd->add_option("--crop-padding", a->crop_padding, "Augment: random crop from the image padded by N pixels");
  cmd->add_flag("--flip", a->flip, "Augment: random horizontal flips");
  cmd->add_option("--threads", a->threads, "Threads (default 1)");
  cmd->add_option("--seed", a->seed, "Seed of shuffling, augmentation and dropout (default 1)");
  cmd->add_option("--checkpoint", a->checkpoint, "Folder for crash-safe checkpoints");
  cmd->add_option("--checkpoint-every", a->checkpoint_every, "Optimizer steps between checkpoints (default 100)");
  cmd->add_flag("--resume", a->resume, "Continue from the newest checkpoint in --checkpoint");
  cmd->add_option("--max-steps", a->max_steps, "Stop after N optimizer steps (0: all epochs)");
  add_bool_flag(cmd, "--test", a->test, "With --dataset fashion-mnist: report accuracy on the test split (default on)");
  cmd->add_option("--report", a->report, "Write an HTML report with loss and accuracy curves");
  cmd->add_flag("--json", a->json, "Print the result as JSON");
  cmd->callback([a] { exit_code() = run_train(*a); });
}

}  // namespace ew::cli
