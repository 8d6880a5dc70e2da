// Removes nodes that pass their input through unchanged: Identity, Dropout in
// inference (no mask output read, training_mode absent or constant false), and
// Cast to the input's own dtype. Readers of the output read the input instead.
// When the output is a graph output, the input's producer is renamed to it so
// graph output names stay stable; values read by subgraphs are left alone.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

bool is_pass_through(const Graph& g, const Node& node) {
  if (!node.domain.empty() || node.inputs.empty() || node.inputs[0].empty()) return false;
  if (node.op_type == "Identity") return node.outputs.size() == 1;
  if (node.op_type == "Cast") {
    DType in = value_dtype(g, node.inputs[0]);
    auto to = dtype_from_onnx(static_cast<int>(node.attr_int("to", 0)));
    return in != DType::kUndefined && to.is_ok() && *to == in;
  }
  if (node.op_type == "Dropout") {
    if (node.outputs.size() > 1 && !node.outputs[1].empty()) return false;
    if (node.has_input(2)) {
      double training = 0;
      if (!scalar_constant(g, node.inputs[2], &training) || training != 0) return false;
    }
    return node.attr_int("is_test", 1) != 0;
  }
  return false;
}

// Points every reader of `from` at `to`.
void redirect(Graph& g, const ValueUses& uses, const std::string& from, const std::string& to) {
  auto it = uses.consumers.find(from);
  if (it == uses.consumers.end()) return;
  for (size_t c : it->second)
    for (auto& in : g.nodes[c].inputs)
      if (in == from) in = to;
}

bool eliminate(Graph& g, const ValueUses& uses, size_t i) {
  Node& node = g.nodes[i];
  if (!is_pass_through(g, node)) return false;
  const std::string x = node.inputs[0], y = node.outputs[0];
  bool y_is_output = false;
  for (const auto& o : g.outputs) y_is_output |= o.name == y;
  if (!y_is_output) {
    if (uses.pinned.count(y)) return false;  // read by a subgraph by name
    redirect(g, uses, y, x);
    mark_removed(node);
    return true;
  }
  // y is a graph output: rename x's producer to y, if x is a plain intermediate.
  auto p = uses.producer.find(x);
  if (p == uses.producer.end() || uses.pinned.count(x)) return false;
  for (auto& o : g.nodes[p->second].outputs)
    if (o == x) o = y;
  redirect(g, uses, x, y);
  g.value_types.erase(x);
  mark_removed(node);
  return true;
}

Result<int> run_identity_elimination(Model& model) { return rewrite_each(model.graph, eliminate); }

}  // namespace

const Pass kIdentityElimination{.name = "identity_elimination", .min_level = 1, .run = run_identity_elimination};

}  // namespace ew
