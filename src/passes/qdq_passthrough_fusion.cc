// DequantizeLinear -> op -> QuantizeLinear around ops that only select or move
// values (MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze), where
// the QuantizeLinear uses the DequantizeLinear's own scale and zero point:
// the op runs on the integers directly and both conversions go (ONNX
// Runtime's DropQDQNodes rule). Exact: a max or a move commutes with a
// monotonic per-tensor mapping.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"
#include "passes/qdq_match.h"

namespace ew {
namespace {

bool passthrough(const Node& n, int64_t opset) {
  if (!n.domain.empty() || n.outputs.size() != 1 || n.inputs.empty()) return false;
  if (n.op_type == "MaxPool") return opset >= 12 && n.attr_int("storage_order", 0) == 0;
  return n.op_type == "Reshape" || n.op_type == "Flatten" || n.op_type == "Transpose" || n.op_type == "Squeeze" ||
         n.op_type == "Unsqueeze";
}

bool same_scalar(const Graph& g, const std::string& a, const std::string& b) {
  const Tensor* x = constant_of(g, a);
  const Tensor* y = constant_of(g, b);
  return x && y && x->numel() == 1 && y->numel() == 1 && x->dtype() == y->dtype() && x->get_double(0) == y->get_double(0);
}

bool fuse(Graph& g, const ValueUses& u, size_t i, int64_t opset) {
  Node& op = g.nodes[i];
  if (!passthrough(op, opset)) return false;
  qdq::Quant x, y;
  if (!qdq::dequantized(g, u, op.inputs[0], &x) || x.zero_point.empty()) return false;
  Node* q = qdq::quantized(g, u, op.outputs[0], &y);
  if (!q || !same_scalar(g, x.scale, y.scale) || !same_scalar(g, x.zero_point, y.zero_point)) return false;
  if (value_dtype(g, x.x) != constant_of(g, y.zero_point)->dtype()) return false;
  op.inputs[0] = x.x;
  op.outputs[0] = q->outputs[0];
  mark_removed(*q);
  return true;
}

Result<int> run_qdq_passthrough_fusion(Model& model) {
  const int64_t opset = model.opset("");
  return rewrite_each(model.graph, [opset](Graph& g, const ValueUses& u, size_t i) { return fuse(g, u, i, opset); });
}

}  // namespace

const Pass kQdqPassthroughFusion{.name = "qdq_passthrough_fusion", .min_level = 2, .run = run_qdq_passthrough_fusion};

}  // namespace ew
