// The gradient builder: a forward model + a loss -> one training graph that
// computes the loss, the prediction, and the gradient of the loss with
// respect to every trainable parameter, all as IR nodes that the session
// plans and runs like any model (reverse-mode differentiation, one gradient
// rule per op family: gradient_rule.h, src/train/rules/).
//
// Training form: BatchNormalization runs on batch statistics and returns its
// updated running mean/var (graph outputs, fed back by the trainer); Dropout
// draws a seeded mask (the "dropout_seed" input). Trainable parameters are the
// float initializers of rank >= 1 that a gradient reaches, minus BatchNorm's
// running statistics and the frozen ones; they become graph inputs, so the
// trainer owns their values.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "train/loss.h"

namespace ew::train {

struct TrainingGraphOptions {
  LossSpec loss;
  std::vector<std::string> freeze;  // glob patterns ('*', '?') of parameter names kept constant
  std::vector<std::string> train_only;  // when given: only parameters matching one of these train (e.g. a head)
  bool batch_norm_training = true;  // BatchNormalization on batch statistics
  bool dropout = true;              // Dropout active in training
};

struct TrainingGraph {
  Model model;
  std::vector<std::string> data_inputs;           // the forward model's inputs
  std::string labels;                             // "" for loss kind "output"
  std::string teacher;                            // teacher-logits input of loss kind "distill", else ""
  std::string dropout_seed;                       // int64 scalar input; "" without dropout
  std::string loss, prediction;                   // outputs 0 and 1
  std::vector<std::string> parameters;            // trainable initializers, now inputs
  std::vector<std::string> gradients;             // output name of each parameter's gradient
  std::vector<std::pair<std::string, std::string>> buffers;  // (running statistic input, its updated output)
  std::vector<std::string> frozen;                // parameters left constant by `freeze`
};

// Fails naming the problem: an op without a gradient rule (with the node),
// control flow in the differentiated path, no trainable parameter left.
Result<TrainingGraph> build_training_graph(const Model& forward, const TrainingGraphOptions& options = {});

// True when `name` matches the glob `pattern` ('*' any run, '?' one character).
bool glob_match(const std::string& pattern, const std::string& name);

}  // namespace ew::train
