#include "passes/node_evaluator.h"

#include "ops/op.h"

namespace ew {

int64_t node_opset(const Model& model, const Node& node) {
  int64_t v = model.opset(node.domain);
  return v == 0 && !node.domain.empty() ? 1 : v;
}

Result<std::vector<Tensor>> evaluate_node(const Model& model, const Node& node,
                                          const std::vector<const Tensor*>& inputs, size_t max_output_bytes) {
  const int64_t opset = node_opset(model, node);
  const OpDef* op = OpRegistry::find(node.domain, node.op_type, opset);
  if (!op || !op->infer || !op->run) return unsupported("no kernel for " + node.label());
  std::vector<ValueType> types(inputs.size());
  std::vector<const ValueType*> type_ptrs(inputs.size(), nullptr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i]) continue;
    types[i] = ValueType::of(inputs[i]->dtype(), inputs[i]->shape());
    type_ptrs[i] = &types[i];
  }
  InferContext ictx(node, opset, type_ptrs, inputs);
  EW_RETURN_IF_ERROR(op->infer(ictx));
  std::vector<Tensor> out(node.outputs.size());
  size_t bytes = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const ValueType& vt = ictx.output_types()[i];
    if (node.outputs[i].empty()) continue;
    if (!vt.fully_known() || vt.dtype == DType::kUndefined) return unsupported("output shape not static");
    int64_t n = 1;
    for (int64_t d : vt.concrete_shape()) n *= d;
    bytes += static_cast<size_t>(n) * dtype_size(vt.dtype);
    if (bytes > max_output_bytes) return unsupported("folded output too large");
    EW_ASSIGN_OR_RETURN(out[i], Tensor::create(vt.dtype, vt.concrete_shape()));
  }
  KernelContext kctx(node, opset, inputs, &out, nullptr);
  EW_RETURN_IF_ERROR(op->run(kctx));
  for (size_t i = 0; i < out.size(); ++i) {
    if (node.outputs[i].empty()) continue;
    if (!out[i].defined()) return internal_error(node.label() + " produced no output " + std::to_string(i));
  }
  return out;
}

}  // namespace ew
