// The training loop: builds the training graph once, runs it per batch in a
// planned session, applies the optimizer, evaluates a validation split each
// epoch, checkpoints atomically every N steps, and resumes bit-identically
// (one thread, same seed) from the last checkpoint.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "train/gradient_builder.h"
#include "train/optimizer.h"
#include "train/training_data.h"

namespace ew::train {

struct TrainOptions {
  int epochs = 1;
  int64_t batch_size = 64;
  int accumulate = 1;                // gradient accumulation: optimizer step every N batches
  OptimizerOptions optimizer;
  double lr = 1e-3;
  std::string schedule = "constant";  // parse_lr_schedule syntax
  double clip_norm = 0;               // global gradient norm bound (0: off)
  LossSpec loss;
  std::vector<std::string> freeze;    // glob patterns of parameters kept constant
  std::vector<std::string> train_only;  // when given: only matching parameters train
  Augmentation augment;
  int threads = 1;
  uint64_t seed = 1;
  std::string checkpoint_dir;         // "" = no checkpoints
  int64_t checkpoint_every = 100;     // steps between checkpoints (and one at every epoch end)
  bool resume = false;                // continue from the newest checkpoint in checkpoint_dir
  int64_t max_steps = 0;              // stop after this many optimizer steps (0: all epochs); schedules still span all epochs
  // Loss "distill": the teacher's logits for a batch, from the rows' indices
  // in the training data and the batch's (augmented) inputs (src/distill/).
  std::function<Result<Tensor>(const std::vector<int64_t>& index, const Tensor& inputs)> teacher;
};

struct TrainProgress {
  int epoch = 0, epochs = 0;
  int64_t batch = 0, batches = 0, step = 0;
  double loss = 0, accuracy = -1;  // running means over the epoch (accuracy -1 without class labels)
  double samples_per_second = 0, eta_seconds = 0, lr = 0;
};

struct EpochStats {
  int epoch = 0;
  double train_loss = 0, train_accuracy = -1;
  double val_loss = -1, val_accuracy = -1;  // -1 without a validation set / class labels
  double seconds = 0, samples_per_second = 0;
};

struct TrainReport {
  std::vector<EpochStats> epochs;
  int64_t steps = 0;
  int64_t resumed_from_step = -1;  // -1: started fresh
  std::string checkpoint_warning;  // corrupt newer checkpoints skipped on resume
  std::vector<std::string> parameters, frozen;
  int64_t parameter_count = 0;
  int64_t arena_bytes = 0, naive_bytes = 0;  // the training graph's planned memory vs one buffer per tensor
};

// Trains `model` (its initializers are updated: parameters and BatchNorm
// running statistics) on `data`, validating on `validation` (may be empty).
// `progress` is called after every batch. Fails with a clear message on bad
// options, data that does not fit the model, a non-finite loss (naming the
// step and the first non-finite gradient; the last checkpoint is kept), or a
// checkpoint that is corrupt or belongs to another run.
Result<TrainReport> train(Model& model, const TrainingData& data, const TrainingData& validation, const TrainOptions& options,
                          const std::function<void(const TrainProgress&)>& progress = {});

struct Evaluation {
  double loss = 0, accuracy = -1;
  int64_t count = 0;
};
// Inference-mode loss (cross-entropy for class labels, else MSE) and top-1 accuracy of `model` on `data`.
Result<Evaluation> evaluate(const Model& model, const TrainingData& data, int64_t batch_size, int threads);

}  // namespace ew::train
