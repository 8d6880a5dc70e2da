// Gemm and MatMul with constant weights become XNNPACK fully-connected nodes.
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

bool supports_gemm(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.num_inputs() < 2) return false;
  const Tensor* w = types.constant(node.inputs[1]);
  if (!w || w->rank() != 2 || types.constant(node.inputs[0])) return false;
  if (static_shape(types, node.inputs[0]).size() != 2) return false;
  if (node.attr_int("transA", 0) != 0 || node.attr_float("alpha", 1.0f) != 1.0f) return false;
  if (!node.has_input(2)) return true;
  const Tensor* c = types.constant(node.inputs[2]);
  int64_t n = node.attr_int("transB", 0) ? w->dim(0) : w->dim(1);
  if (!c || node.attr_float("beta", 1.0f) != 1.0f || c->numel() != n) return false;
  return c->rank() == 1 || (c->rank() == 2 && c->dim(0) == 1);
}

bool supports_matmul(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.num_inputs() != 2) return false;
  const Tensor* w = types.constant(node.inputs[1]);
  size_t rank = static_shape(types, node.inputs[0]).size();
  return w && w->rank() == 2 && !types.constant(node.inputs[0]) && rank >= 2 && rank != 4;
}

Status define_fc(XnnpackBuilder& b, const Node& node, bool transposed_weights) {
  const Tensor& w = *b.constant(node.inputs[1]);
  std::vector<float> data(w.data<float>(), w.data<float>() + w.numel());
  EW_ASSIGN_OR_RETURN(uint32_t filter, b.static_tensor({size_t(w.dim(0)), size_t(w.dim(1))}, std::move(data)));
  uint32_t bias = XNN_INVALID_VALUE_ID;
  if (node.has_input(2)) {
    const Tensor& c = *b.constant(node.inputs[2]);
    EW_ASSIGN_OR_RETURN(bias, b.static_tensor({size_t(c.numel())}, std::vector<float>(c.data<float>(), c.data<float>() + c.numel())));
  }
  EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[0]));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  uint32_t flags = transposed_weights ? XNN_FLAG_TRANSPOSE_WEIGHTS : 0;
  xnn_status st = xnn_define_fully_connected(b.subgraph(), -kInf, kInf, in, filter, bias, out, flags);
  if (st != xnn_status_success) return xnn_error(st, node.label());
  return Status::ok();
}

Status define_gemm(XnnpackBuilder& b, const Node& node) { return define_fc(b, node, node.attr_int("transB", 0) == 0); }
Status define_matmul(XnnpackBuilder& b, const Node& node) { return define_fc(b, node, true); }

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "Gemm", .domain = "", .supports = supports_gemm, .define = define_gemm);
EW_REGISTER_XNNPACK_LOWERING(.op_type = "MatMul", .domain = "", .supports = supports_matmul, .define = define_matmul);

}  // namespace ew
