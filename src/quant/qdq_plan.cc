#include "quant/qdq_plan.h"

#include <algorithm>
#include <limits>
#include <set>

#include "passes/graph_rewrite.h"
#include "ops/shape_inference.h"

namespace ew::quant {
namespace {

const std::set<std::string> kSharedParamOps = {"MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze"};
const std::set<std::string> kOwnParamOps = {"Add", "Mul", "Concat", "AveragePool", "GlobalAveragePool", "Relu"};

bool is_listed(const std::vector<std::string>& list, const Node& n) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return s == n.op_type || (!n.name.empty() && s == n.name); });
}

bool is_candidate(const Graph& g, const Node& n) {
  if (!n.domain.empty() || n.outputs.size() != 1) return false;
  return is_weighted_op(g, n) || n.op_type == "MatMul" || kSharedParamOps.count(n.op_type) ||
         kOwnParamOps.count(n.op_type);
}

// Why `n` stays in float, or "" when it is quantized.
std::string float_reason(const Node& n, const QuantizeOptions& o, const std::set<size_t>& first_last, size_t index) {
  if (is_listed(o.exclude, n)) return "excluded";
  auto it = o.layer_bits.find(n.name);
  if (it != o.layer_bits.end() && it->second >= 16)
    return "layer_bits " + std::to_string(it->second) + ": kept in float";
  if (it != o.layer_bits.end() && it->second == 4) return "layer_bits 4: left to the int4 weight-only path";
  if (first_last.count(index)) return "first/last layer kept in float";
  return "";
}

bool is_removable_activation(const Graph& g, const Node& n, int64_t opset) {
  if (!n.domain.empty() || n.inputs.empty() || n.outputs.size() != 1) return false;
  if (n.op_type == "Relu") return true;
  if (n.op_type != "Clip") return false;
  double lo = -std::numeric_limits<double>::infinity();
  if (opset < 11)
    lo = n.attr_float("min", -std::numeric_limits<float>::infinity());
  else if (!n.has_input(1) || !scalar_constant(g, n.inputs[1], &lo))
    return false;
  double hi = std::numeric_limits<double>::infinity();
  if (opset < 11)
    hi = n.attr_float("max", std::numeric_limits<float>::infinity());
  else if (n.has_input(2) && !scalar_constant(g, n.inputs[2], &hi))
    return false;
  return lo == 0.0 && hi > 0.0;
}

// True when the planner will quantize the output of `p` (a Conv/Gemm/MatMul/Add),
// so the quantization clamp can stand in for a following Relu.
bool output_quantized(const Graph& g, const Node& p) {
  if (value_dtype(g, p.outputs[0]) != DType::kFloat32) return false;
  if (p.op_type == "Conv") return is_weighted_op(g, p) && constant_of(g, p.inputs[1])->rank() >= 3;
  if (p.op_type == "Gemm") return is_weighted_op(g, p);
  if (p.op_type != "MatMul" && p.op_type != "Add") return false;
  if (is_weighted_op(g, p)) return true;
  return std::none_of(p.inputs.begin(), p.inputs.end(), [&](const std::string& in) { return g.is_initializer(in); });
}

// Relu/Clip(min 0) whose input is the only use of a quantized producer's
// output: the producer writes the activation's output instead.
int remove_activations(Graph& g, const QuantizeOptions& o, int64_t opset, const std::set<size_t>& first_last) {
  if (o.symmetric_activations) return 0;
  ValueUses uses(g);
  int removed = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& p = g.nodes[i];
    if (is_removed(p) || !is_candidate(g, p) || !float_reason(p, o, first_last, i).empty()) continue;
    if (!output_quantized(g, p)) continue;
    Node* act = uses.only_consumer(g, p.outputs[0]);
    if (!act || is_removed(*act) || !is_removable_activation(g, *act, opset) || act->inputs[0] != p.outputs[0])
      continue;
    if (is_listed(o.exclude, *act) || uses.pinned.count(act->outputs[0])) continue;
    p.outputs[0] = act->outputs[0];
    mark_removed(*act);
    ++removed;
  }
  erase_removed(g);
  return removed;
}

struct Planner {
  const Graph& g;
  std::set<std::string> graph_outputs;
  QdqPlan& plan;

  bool quantizable(const std::string& t) const {
    return !t.empty() && !g.is_initializer(t) && !graph_outputs.count(t) && value_dtype(g, t) == DType::kFloat32;
  }
  bool request(const std::string& t) {
    if (!quantizable(t)) return false;
    plan.activations.emplace(t, t);
    return true;
  }
  void share(const std::string& out, const std::string& in) {
    auto it = plan.activations.find(in);
    if (it != plan.activations.end() && quantizable(out)) plan.activations.emplace(out, it->second);
  }
  // Returns "" when the node was planned, else why it stays float.
  std::string add(const Node& n, size_t index) {
    const std::string& op = n.op_type;
    if (is_weighted_op(g, n)) {
      if (op == "Conv" && constant_of(g, n.inputs[1])->rank() < 3) return "weight rank below 3";
      request(n.inputs[0]);
      request(n.outputs[0]);
      plan.weighted.push_back(index);
      return "";
    }
    if (op == "Conv" || op == "Gemm") return "weight is not a float constant";
    if (kSharedParamOps.count(op)) {
      if (!request(n.inputs[0]) && !plan.activations.count(n.inputs[0])) return "input is not a float activation";
      share(n.outputs[0], n.inputs[0]);
      return "";
    }
    for (const auto& in : n.inputs)
      if (!in.empty() && g.is_initializer(in) && op != "Concat") return "constant operand";
    for (const auto& in : n.inputs) request(in);
    request(n.outputs[0]);
    return "";
  }
};

std::set<size_t> first_and_last_weighted(const Graph& g, bool keep) {
  std::set<size_t> s;
  if (!keep) return s;
  std::vector<size_t> w;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (is_weighted_op(g, g.nodes[i])) w.push_back(i);
  if (!w.empty()) s = {w.front(), w.back()};
  return s;
}

}  // namespace

bool is_weighted_op(const Graph& graph, const Node& node) {
  if (!node.domain.empty() || node.inputs.size() < 2) return false;
  if (node.op_type != "Conv" && node.op_type != "Gemm" && node.op_type != "MatMul") return false;
  const Tensor* w = constant_of(graph, node.inputs[1]);
  if (!w || w->dtype() != DType::kFloat32) return false;
  return node.op_type != "Gemm" || w->rank() == 2;
}

int weight_axis(const Node& node, const Tensor& weight, const QuantizeOptions& options, int64_t opset) {
  if (!options.per_channel || opset < 13) return -1;
  if (node.op_type == "Conv") return 0;
  if (node.op_type == "Gemm") return node.attr_int("transB", 0) != 0 ? 0 : 1;
  if (node.op_type == "MatMul" && weight.rank() == 2) return 1;
  return -1;
}

Result<QdqPlan> plan_qdq(Model& model, const QuantizeOptions& options) {
  const int64_t opset = model.opset("");
  if (opset < 10)
    return unsupported("static quantization needs opset >= 10 (QuantizeLinear); the model has opset " +
                       std::to_string(opset));
  EW_RETURN_IF_ERROR(infer_shapes(model).with_context("static quantization: "));
  Graph& g = model.graph;
  QdqPlan plan;
  plan.removed_activations = remove_activations(g, options, opset, first_and_last_weighted(g, options.keep_first_last));
  const std::set<size_t> first_last = first_and_last_weighted(g, options.keep_first_last);
  Planner planner{g, {}, plan};
  for (const auto& o : g.outputs) planner.graph_outputs.insert(o.name);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (!is_candidate(g, n)) continue;
    LayerQuantReport layer;
    layer.node = n.name.empty() ? n.outputs[0] : n.name;
    layer.op_type = n.op_type;
    layer.why = float_reason(n, options, first_last, i);
    if (layer.why.empty()) layer.why = planner.add(n, i);
    layer.bits = layer.why.empty() ? 8 : 32;
    if (layer.why.empty()) layer.why = "quantized";
    plan.layers.push_back(layer);
    plan.layer_nodes.push_back(i);
  }
  return plan;
}

}  // namespace ew::quant
