// The options `edgewise train` and the commands that train with it
// (distill, and later prune, qat, palettize) share: data, the optimizer and
// schedule, augmentation, checkpoints, threads; and how they load models and
// data and show progress.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "train/trainer.h"

namespace ew::cli {

struct TrainArgs {
  std::string model, output, dataset, data, labels, report, freeze, train_only, classes, loss = "cross-entropy";
  std::string optimizer = "adamw", schedule = "constant", checkpoint;
  int epochs = 1, threads = 1, accumulate = 1, train_count = 0;
  int64_t batch_size = 64, checkpoint_every = 100, max_steps = 0, crop_padding = 0;
  double lr = 1e-3, momentum = 0.9, weight_decay = 0.0, clip_norm = 0.0, label_smoothing = 0.0, validation = 0.1;
  uint64_t seed = 1;
  bool nesterov = false, resume = false, json = false, flip = false, test = true;
};

// Registers every option but the positional model, -o, --loss, --report and --json.
void add_train_options(CLI::App* cmd, TrainArgs& a);

// "a,b,,c" -> {"a", "b", "c"}
std::vector<std::string> split_commas(const std::string& s);

// The training data (--dataset or --data/--labels), restricted to --classes.
Result<train::TrainingData> load_training_data(const TrainArgs& a);
// Fashion-MNIST's test split (of --classes) when --dataset fashion-mnist and --test; else empty.
Result<train::TrainingData> load_test_data(const TrainArgs& a);
// The training data split into training and validation, and what to score
// models on: the test split when there is one, else the validation split.
struct DataSplits {
  train::TrainingData train, validation, eval;
  bool on_test = false;
};
Result<DataSplits> load_data_splits(const TrainArgs& a);
Result<train::TrainOptions> train_options(const TrainArgs& a);
// A progress callback that redraws one line on stderr a few times a second
// (nothing with --json); call finish_progress() after training.
std::function<void(const train::TrainProgress&)> progress_printer(const TrainArgs& a);
void finish_progress();
nlohmann::json train_report_json(const train::TrainReport& r, const std::string& output);
// Per-epoch lines, as `edgewise train` prints them.
void print_epochs(const train::TrainReport& r);

}  // namespace ew::cli
