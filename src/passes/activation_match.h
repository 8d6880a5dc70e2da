// Recognizes an activation node that ONNX Runtime's fused ops can absorb and
// returns its name and parameters in FusedConv's `activation_params` order
// (Clip: min, max; LeakyRelu: alpha; HardSigmoid: alpha, beta). HardSwish and
// others are not among them: ORT's FusedConv does not take them.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

struct ActivationMatch {
  std::string name;
  std::vector<float> params;
};

// True when `node` is Relu, Clip (constant bounds), Sigmoid, Tanh, LeakyRelu
// or HardSigmoid in the default domain; fills `out`.
bool match_activation(const Graph& graph, const Node& node, int64_t opset, ActivationMatch* out);

}  // namespace ew
