// Constant folding: a node whose inputs are all constants is evaluated once
// with the reference kernel and replaced by initializers. Random ops are never
// folded, nor DequantizeLinear (kept so QDQ groups can still be recognized, as
// ONNX Runtime does), nor nodes with subgraphs or producing graph outputs.
// Outputs above kMaxFoldedBytes stay computed at run time so folding cannot
// blow a model up (e.g. ConstantOfShape of a huge shape).
#include <set>

#include "passes/graph_rewrite.h"
#include "passes/node_evaluator.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

constexpr size_t kMaxFoldedBytes = size_t{16} << 20;

bool foldable_kind(const Node& node) {
  static const std::set<std::string> kNever = {
      "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Bernoulli", "Multinomial",
      "DequantizeLinear"};
  if (!node.domain.empty() || kNever.count(node.op_type) || node.outputs.empty()) return false;
  for (const auto& [k, a] : node.attributes)
    if (a.g || !a.graphs.empty()) return false;
  return true;
}

bool fold_node(const Model& model, Graph& g, size_t i) {
  Node& node = g.nodes[i];
  if (!foldable_kind(node)) return false;
  std::vector<const Tensor*> inputs;
  for (const auto& in : node.inputs) {
    if (in.empty()) { inputs.push_back(nullptr); continue; }
    const Tensor* t = constant_of(g, in);
    if (!t) return false;
    inputs.push_back(t);
  }
  for (const auto& o : node.outputs)
    for (const auto& go : g.outputs)
      if (o == go.name) return false;
  auto out = evaluate_node(model, node, inputs, kMaxFoldedBytes);
  if (!out.is_ok()) return false;
  for (size_t k = 0; k < node.outputs.size(); ++k) {
    if (node.outputs[k].empty()) continue;
    auto copy = (*out)[k].clone();  // own the bytes: kernels may alias an input
    if (!copy.is_ok()) return false;
    g.initializers[node.outputs[k]] = std::move(copy).value();
    g.value_types.erase(node.outputs[k]);
  }
  mark_removed(node);
  return true;
}

Result<int> run_constant_folding(Model& model) {
  // Nodes are in topological order, so one sweep folds whole constant chains.
  int count = 0;
  for (size_t i = 0; i < model.graph.nodes.size(); ++i) count += fold_node(model, model.graph, i) ? 1 : 0;
  erase_removed(model.graph);
  return count;
}

}  // namespace

const Pass kConstantFolding{.name = "constant_folding", .min_level = 1, .run = run_constant_folding};

}  // namespace ew
