#include "passes/qdq_match.h"

namespace ew::qdq {

bool dequantized(const Graph& g, const ValueUses& u, const std::string& v, Quant* out, bool per_tensor) {
  const Node* dq = u.producer_of(g, v);
  if (!dq || dq->op_type != "DequantizeLinear" || !dq->domain.empty() || dq->inputs.size() < 2) return false;
  const Tensor* scale = constant_of(g, dq->inputs[1]);
  if (!scale || scale->dtype() != DType::kFloat32 || (per_tensor && scale->numel() != 1)) return false;
  if (dq->has_input(2) && !constant_of(g, dq->inputs[2])) return false;
  *out = {dq->inputs[0], dq->inputs[1], dq->has_input(2) ? dq->inputs[2] : ""};
  return true;
}

Node* quantized(Graph& g, const ValueUses& u, const std::string& v, Quant* out) {
  Node* q = u.only_consumer(g, v);
  if (!q || q->op_type != "QuantizeLinear" || !q->domain.empty() || q->inputs.size() != 3 || q->inputs[0] != v)
    return nullptr;
  const Tensor* scale = constant_of(g, q->inputs[1]);
  const Tensor* zp = constant_of(g, q->inputs[2]);
  if (!scale || !zp || scale->numel() != 1 || zp->numel() != 1 || !is_int8(zp->dtype())) return nullptr;
  *out = {q->inputs[0], q->inputs[1], q->inputs[2]};
  return q;
}

std::string zero_point_or_zero(Graph& g, const std::string& zp, DType dtype) {
  if (!zp.empty()) return zp;
  auto t = Tensor::create(dtype, {});
  return add_initializer(g, "zero_point", std::move(t).value());
}

}  // namespace ew::qdq
