#include "passes/activation_match.h"

#include <limits>

#include "passes/graph_rewrite.h"

namespace ew {

namespace {

bool clip_bounds(const Graph& g, const Node& node, int64_t opset, std::vector<float>* params) {
  float lo = std::numeric_limits<float>::lowest(), hi = std::numeric_limits<float>::max();
  if (opset < 11) {
    lo = node.attr_float("min", lo);
    hi = node.attr_float("max", hi);
  } else {
    double v = 0;
    if (node.has_input(1)) {
      if (!scalar_constant(g, node.inputs[1], &v)) return false;
      lo = static_cast<float>(v);
    }
    if (node.has_input(2)) {
      if (!scalar_constant(g, node.inputs[2], &v)) return false;
      hi = static_cast<float>(v);
    }
  }
  *params = {lo, hi};
  return true;
}

}  // namespace

bool match_activation(const Graph& graph, const Node& node, int64_t opset, ActivationMatch* out) {
  if (!node.domain.empty() || node.outputs.size() != 1 || node.inputs.empty()) return false;
  const std::string& op = node.op_type;
  out->name = op;
  out->params.clear();
  if (op == "Relu" || op == "Sigmoid" || op == "Tanh") return true;
  if (op == "LeakyRelu") {
    out->params = {node.attr_float("alpha", 0.01f)};
    return true;
  }
  if (op == "HardSigmoid") {
    out->params = {node.attr_float("alpha", 0.2f), node.attr_float("beta", 0.5f)};
    return true;
  }
  if (op == "Clip") return clip_bounds(graph, node, opset, &out->params);
  return false;
}

}  // namespace ew
