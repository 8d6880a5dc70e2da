// One forward and backward pass outside a training loop: the loss and every
// parameter's gradient for given inputs and labels — what `edgewise
// gradients` writes, so users debugging training (and other frameworks) can
// check Edgewise's gradients.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "train/gradient_builder.h"

namespace ew::train {

struct GradientResult {
  float loss = 0;
  std::vector<std::pair<std::string, Tensor>> gradients;  // parameter name -> gradient, in graph order
};

// `inputs` by the forward model's input names; `labels` as the loss expects
// (int64 class indices for cross-entropy). Dropout uses seed `dropout_seed`.
Result<GradientResult> compute_gradients(const Model& model, const std::map<std::string, Tensor>& inputs,
                                         const Tensor& labels, const TrainingGraphOptions& options, int threads = 1,
                                         int64_t dropout_seed = 1);

// The training graph as a model of its own: parameters, running statistics
// and the dropout seed become initializers again (holding the forward
// model's values), so only the data inputs and the labels remain inputs and
// the outputs are the loss, the prediction and every gradient. Any tool that
// runs a model runs it: `edgewise bench --profile` times the backward steps.
Result<Model> standalone_training_graph(const Model& model, const TrainingGraphOptions& options);

}  // namespace ew::train
