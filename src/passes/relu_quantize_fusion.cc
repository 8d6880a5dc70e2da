// Relu -> QuantizeLinear whose zero point is the lowest value of its type
// (uint8 0, int8 -128): the Relu is redundant, since quantization already
// clamps there, and is removed (ONNX Runtime's ReluQuantFusion). This exposes
// DequantizeLinear -> Conv -> QuantizeLinear groups to the QDQ fusion.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

bool zero_point_at_type_min(const Graph& g, const Node& q) {
  if (!q.has_input(2)) return false;  // default uint8 zero point 0 also qualifies, but be explicit
  const Tensor* zp = constant_of(g, q.inputs[2]);
  if (!zp || zp->numel() != 1) return false;
  if (zp->dtype() == DType::kUInt8) return zp->get_int64(0) == 0;
  if (zp->dtype() == DType::kInt8) return zp->get_int64(0) == -128;
  return false;
}

bool fuse(Graph& g, const ValueUses& u, size_t i) {
  Node& relu = g.nodes[i];
  if (relu.op_type != "Relu" || !relu.domain.empty() || relu.inputs.size() != 1 || relu.outputs.size() != 1) return false;
  Node* q = u.only_consumer(g, relu.outputs[0]);
  if (!q || q->op_type != "QuantizeLinear" || !q->domain.empty() || q->inputs[0] != relu.outputs[0]) return false;
  if (!zero_point_at_type_min(g, *q)) return false;
  q->inputs[0] = relu.inputs[0];
  mark_removed(relu);
  return true;
}

Result<int> run_relu_quantize_fusion(Model& model) { return rewrite_each(model.graph, fuse); }

}  // namespace

const Pass kReluQuantizeFusion{.name = "relu_quantize_fusion", .min_level = 2, .run = run_relu_quantize_fusion};

}  // namespace ew
