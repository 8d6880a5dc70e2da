// Shape folding: Shape and Size of a value whose inferred shape is fully
// concrete become constants. Constant folding then folds the Gather / Concat /
// Unsqueeze chains built from them (the usual feed of Reshape and Expand).
// With symbolic dims (a free batch size) nothing folds; bind the dims first
// (`edgewise optimize --dims N=1`).
#include <algorithm>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

Result<Tensor> shape_constant(const Node& node, const Shape& shape, int64_t opset) {
  if (node.op_type == "Size") {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return Tensor::scalar<int64_t>(n);
  }
  int64_t rank = static_cast<int64_t>(shape.size());
  int64_t start = opset >= 15 ? node.attr_int("start", 0) : 0, end = opset >= 15 ? node.attr_int("end", rank) : rank;
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  return Tensor::from_vector<int64_t>({end - start}, std::vector<int64_t>(shape.begin() + start, shape.begin() + end));
}

bool fold_shape(const Model& model, Graph& g, size_t i) {
  Node& node = g.nodes[i];
  if (!node.domain.empty() || (node.op_type != "Shape" && node.op_type != "Size")) return false;
  if (node.inputs.empty() || node.outputs.size() != 1 || node.outputs[0].empty()) return false;
  for (const auto& go : g.outputs)
    if (go.name == node.outputs[0]) return false;
  Shape shape;
  if (const Tensor* t = g.initializer(node.inputs[0])) {
    shape = t->shape();
  } else {
    const ValueType* vt = g.find_type(node.inputs[0]);
    if (!vt || !vt->fully_known()) return false;
    shape = vt->concrete_shape();
  }
  auto value = shape_constant(node, shape, model.opset(""));
  if (!value.is_ok()) return false;
  g.initializers[node.outputs[0]] = std::move(value).value();
  g.value_types.erase(node.outputs[0]);
  mark_removed(node);
  return true;
}

Result<int> run_shape_folding(Model& model) {
  int count = 0;
  for (size_t i = 0; i < model.graph.nodes.size(); ++i) count += fold_shape(model, model.graph, i) ? 1 : 0;
  erase_removed(model.graph);
  return count;
}

}  // namespace

const Pass kShapeFolding{.name = "shape_folding", .min_level = 1, .run = run_shape_folding};

}  // namespace ew
