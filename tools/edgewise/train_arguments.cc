#include "train_arguments.h"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "data/dataset.h"

namespace ew::cli {
namespace {

Result<std::vector<int64_t>> class_list(const TrainArgs& a) {
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
Result<train::TrainingData> restrict(const TrainArgs& a, train::TrainingData d) {
  EW_ASSIGN_OR_RETURN(std::vector<int64_t> classes, class_list(a));
  if (classes.empty()) return d;
  return train::select_classes(d, classes);
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

bool& line_open() {
  static bool open = false;
  return open;
}

}  // namespace

void add_train_options(CLI::App* cmd, TrainArgs& a) {
  cmd->add_option("--dataset", a.dataset, "Named dataset: fashion-mnist (training split; test accuracy reported)");
  cmd->add_option("--data", a.data, "Inputs .npy, float32 [N, ...]");
  cmd->add_option("--labels", a.labels, "Labels .npy: class indices [N] or float targets [N, ...]");
  cmd->add_option("--train-count", a.train_count, "Use the first N training samples (0: all)");
  cmd->add_option("--validation", a.validation, "Share of the data held out for validation each epoch (default 0.1)");
  cmd->add_option("--epochs", a.epochs, "Epochs")->capture_default_str();
  cmd->add_option("--batch-size", a.batch_size, "Batch size (default 64)");
  cmd->add_option("--accumulate", a.accumulate, "Batches per optimizer step (gradient accumulation, default 1)");
  cmd->add_option("--optimizer", a.optimizer, "sgd | adam | adamw (default)");
  cmd->add_option("--lr", a.lr, "Learning rate")->capture_default_str();
  cmd->add_option("--momentum", a.momentum, "SGD momentum (default 0.9)");
  cmd->add_flag("--nesterov", a.nesterov, "SGD with Nesterov momentum");
  cmd->add_option("--weight-decay", a.weight_decay, "Weight decay: L2 for sgd/adam, decoupled for adamw (default 0)");
  cmd->add_option("--schedule", a.schedule,
                  "constant | step:SIZE[:GAMMA] | cosine[:FINAL_LR] | onecycle[:MAX_LR[:PCT]], plus ,warmup:STEPS");
  cmd->add_option("--clip-norm", a.clip_norm, "Clip gradients to this global L2 norm (0: off)");
  cmd->add_option("--label-smoothing", a.label_smoothing, "Cross-entropy label smoothing in [0, 1)");
  cmd->add_option("--freeze", a.freeze, "Comma-separated name patterns of parameters kept constant, e.g. 'stem.*'");
  cmd->add_option("--train-only", a.train_only,
                  "Comma-separated name patterns of the only parameters that train, e.g. 'fc.*' (fine-tune a head)");
  cmd->add_option("--classes", a.classes, "Train and test on these class indices only, e.g. 0,2,4,6 (personalisation)");
  cmd->add_option("--crop-padding", a.crop_padding, "Augment: random crop from the image padded by N pixels");
  cmd->add_flag("--flip", a.flip, "Augment: random horizontal flips");
  cmd->add_option("--threads", a.threads, "Threads (default 1)");
  cmd->add_option("--seed", a.seed, "Seed of shuffling, augmentation and dropout (default 1)");
  cmd->add_option("--checkpoint", a.checkpoint, "Folder for crash-safe checkpoints");
  cmd->add_option("--checkpoint-every", a.checkpoint_every, "Optimizer steps between checkpoints (default 100)");
  cmd->add_flag("--resume", a.resume, "Continue from the newest checkpoint in --checkpoint");
  cmd->add_option("--max-steps", a.max_steps, "Stop after N optimizer steps (0: all epochs)");
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

Result<train::TrainingData> load_training_data(const TrainArgs& a) {
  if (!a.dataset.empty() && !a.data.empty()) return invalid_argument("give --dataset or --data/--labels, not both");
  train::TrainingData d;
  if (a.dataset == "fashion-mnist") {
    EW_ASSIGN_OR_RETURN(LabeledDataset f, load_fashion_mnist("train", a.train_count));
    d = train::from_labeled(f);
  } else if (!a.dataset.empty()) {
    return invalid_argument("unknown --dataset '" + a.dataset + "' (fashion-mnist)");
  } else if (a.data.empty() || a.labels.empty()) {
    return invalid_argument("give --dataset fashion-mnist, or --data X.npy --labels Y.npy");
  } else {
    EW_ASSIGN_OR_RETURN(d, train::load_npy_pair(a.data, a.labels));
  }
  return restrict(a, std::move(d));
}

Result<train::TrainingData> load_test_data(const TrainArgs& a) {
  if (a.dataset != "fashion-mnist" || !a.test) return train::TrainingData{};
  EW_ASSIGN_OR_RETURN(LabeledDataset t, load_fashion_mnist("test", 0));
  return restrict(a, train::from_labeled(t));
}

Result<DataSplits> load_data_splits(const TrainArgs& a) {
  EW_ASSIGN_OR_RETURN(train::TrainingData data, load_training_data(a));
  EW_ASSIGN_OR_RETURN(train::TrainingData test, load_test_data(a));
  EW_ASSIGN_OR_RETURN(auto split, train::split_validation(data, a.validation, a.seed));
  DataSplits d;
  d.train = std::move(split.first);
  d.validation = std::move(split.second);
  d.on_test = test.size() > 0;
  d.eval = d.on_test ? std::move(test) : d.validation;
  return d;
}

Result<train::TrainOptions> train_options(const TrainArgs& a) {
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

std::function<void(const train::TrainProgress&)> progress_printer(const TrainArgs& a) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  const bool quiet = a.json;
  return [last, quiet](const train::TrainProgress& p) {
    if (quiet) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.batch != p.batches && now - *last < std::chrono::milliseconds(250)) return;  // a few lines a second
    *last = now;
    print_progress(p);
    if (p.batch == p.batches) std::fprintf(stderr, "\n");
    line_open() = p.batch != p.batches;
  };
}

void finish_progress() {
  if (line_open()) std::fprintf(stderr, "\n");
  line_open() = false;
}

nlohmann::json train_report_json(const train::TrainReport& r, const std::string& output) {
  nlohmann::json j{{"output", output}, {"steps", r.steps}, {"parameters", r.parameters.size()},
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

void print_epochs(const train::TrainReport& r) {
  for (const auto& e : r.epochs) {
    std::printf("epoch %d: train loss %.4f", e.epoch, e.train_loss);
    if (e.train_accuracy >= 0) std::printf(" acc %.4f", e.train_accuracy);
    if (e.val_loss >= 0) std::printf(", validation loss %.4f", e.val_loss);
    if (e.val_accuracy >= 0) std::printf(" acc %.4f", e.val_accuracy);
    std::printf(" (%.1f s, %.0f samples/s)\n", e.seconds, e.samples_per_second);
  }
}

}  // namespace ew::cli
