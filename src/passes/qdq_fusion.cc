// QDQ groups -> integer ops, as ONNX Runtime's QDQ transformer does at level 2:
//   DQ(x), DQ(w const int8/uint8)[, DQ(b const int32)] -> Conv -> Q  => QLinearConv
//   DQ(a), DQ(b const)                                  -> MatMul -> Q => QLinearMatMul
//   DQ(a), DQ(b)                                        -> Add -> Q  => com.microsoft::QLinearAdd
//   DQ(x) -> GlobalAveragePool / AveragePool -> Q  => com.microsoft::QLinearGlobalAveragePool / QLinearAveragePool
// Scales and zero points must be constants; activations per tensor. The
// integer ops requantize once (round half to even) where the float form
// rounds after float accumulation, which is how ORT's reference outputs of
// QDQ models are produced. The DequantizeLinear nodes left unread are removed
// by dead code elimination.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

struct Quant {
  std::string x, scale, zero_point;  // zero_point "" when absent
};

bool is_int8(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

// The DequantizeLinear producing `v` with constant scalar-or-per-axis params.
bool dequantized(const Graph& g, const ValueUses& u, const std::string& v, Quant* out, bool per_tensor = true) {
  const Node* dq = u.producer_of(g, v);
  if (!dq || dq->op_type != "DequantizeLinear" || !dq->domain.empty() || dq->inputs.size() < 2) return false;
  const Tensor* scale = constant_of(g, dq->inputs[1]);
  if (!scale || scale->dtype() != DType::kFloat32 || (per_tensor && scale->numel() != 1)) return false;
  if (dq->has_input(2) && !constant_of(g, dq->inputs[2])) return false;
  *out = {dq->inputs[0], dq->inputs[1], dq->has_input(2) ? dq->inputs[2] : ""};
  return true;
}

// The QuantizeLinear that alone reads `v`, with constant scalar params.
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

// A zero point input: the given one, or a zero of `dtype` when absent.
std::string zero_point_or_zero(Graph& g, const std::string& zp, DType dtype) {
  if (!zp.empty()) return zp;
  auto t = Tensor::create(dtype, {});
  return add_initializer(g, "zero_point", std::move(t).value());
}

Node replacement(const Node& op, const Node& q, const char* type, const char* domain) {
  Node n;
  n.name = op.name;
  n.op_type = type;
  n.domain = domain;
  n.attributes = op.attributes;
  n.outputs = q.outputs;
  return n;
}

bool fuse_conv(Graph& g, const ValueUses& u, Node& conv, Node& q, const Quant& y) {
  Quant x, w, b;
  if (!dequantized(g, u, conv.inputs[0], &x) || !dequantized(g, u, conv.inputs[1], &w, false)) return false;
  const Tensor* wt = constant_of(g, w.x);
  if (!wt || !is_int8(wt->dtype()) || wt->rank() < 3 || !is_int8(value_dtype(g, x.x))) return false;
  const Node* wdq = u.producer_of(g, conv.inputs[1]);
  const Tensor* ws = constant_of(g, w.scale);
  if (ws->numel() != 1 && (ws->numel() != wt->dim(0) || wdq->attr_int("axis", 1) != 0)) return false;
  if (conv.has_input(2)) {
    if (!dequantized(g, u, conv.inputs[2], &b, false)) return false;
    const Tensor* bt = constant_of(g, b.x);
    if (!bt || bt->dtype() != DType::kInt32) return false;
  }
  Node n = replacement(conv, q, "QLinearConv", "");
  n.inputs = {x.x, x.scale, zero_point_or_zero(g, x.zero_point, value_dtype(g, x.x)),
              w.x, w.scale, zero_point_or_zero(g, w.zero_point, wt->dtype()), y.scale, y.zero_point};
  if (conv.has_input(2)) n.inputs.push_back(b.x);
  mark_removed(conv);
  q = std::move(n);
  return true;
}

bool fuse_matmul(Graph& g, const ValueUses& u, Node& mm, Node& q, const Quant& y) {
  Quant a, b;
  if (!dequantized(g, u, mm.inputs[0], &a) || !dequantized(g, u, mm.inputs[1], &b)) return false;
  if (!is_int8(value_dtype(g, a.x)) || !is_int8(value_dtype(g, b.x))) return false;
  Node n = replacement(mm, q, "QLinearMatMul", "");
  n.inputs = {a.x, a.scale, zero_point_or_zero(g, a.zero_point, value_dtype(g, a.x)),
              b.x, b.scale, zero_point_or_zero(g, b.zero_point, value_dtype(g, b.x)), y.scale, y.zero_point};
  mark_removed(mm);
  q = std::move(n);
  return true;
}

bool fuse_add(Graph& g, const ValueUses& u, Node& add, Node& q, const Quant& y) {
  Quant a, b;
  if (add.inputs.size() != 2 || !dequantized(g, u, add.inputs[0], &a) || !dequantized(g, u, add.inputs[1], &b)) return false;
  if (!is_int8(value_dtype(g, a.x)) || value_dtype(g, a.x) != value_dtype(g, b.x)) return false;
  if (value_dtype(g, a.x) != constant_of(g, y.zero_point)->dtype()) return false;
  Node n = replacement(add, q, "QLinearAdd", "com.microsoft");
  n.inputs = {a.x, a.scale, a.zero_point, b.x, b.scale, b.zero_point, y.scale, y.zero_point};
  mark_removed(add);
  q = std::move(n);
  return true;
}

bool fuse_pool(Graph& g, const ValueUses& u, Node& pool, Node& q, const Quant& y) {
  Quant x;
  if (!dequantized(g, u, pool.inputs[0], &x) || !is_int8(value_dtype(g, x.x))) return false;
  if (value_dtype(g, x.x) != constant_of(g, y.zero_point)->dtype()) return false;
  const char* type = pool.op_type == "GlobalAveragePool" ? "QLinearGlobalAveragePool" : "QLinearAveragePool";
  Node n = replacement(pool, q, type, "com.microsoft");
  n.inputs = {x.x, x.scale, x.zero_point, y.scale, y.zero_point};
  n.attributes["channels_last"] = Attribute::make_int(0);
  mark_removed(pool);
  q = std::move(n);
  return true;
}

bool fuse(Graph& g, const ValueUses& u, size_t i) {
  Node& op = g.nodes[i];
  if (!op.domain.empty() || op.outputs.size() != 1 || op.inputs.empty()) return false;
  const std::string& t = op.op_type;
  if (t != "Conv" && t != "MatMul" && t != "Add" && t != "GlobalAveragePool" && t != "AveragePool") return false;
  Quant y;
  Node* q = quantized(g, u, op.outputs[0], &y);
  if (!q) return false;
  if (t == "Conv") return fuse_conv(g, u, op, *q, y);
  if (t == "MatMul") return fuse_matmul(g, u, op, *q, y);
  if (t == "Add") return fuse_add(g, u, op, *q, y);
  return fuse_pool(g, u, op, *q, y);
}

Result<int> run_qdq_fusion(Model& model) {
  if (model.opset("") < 10) return 0;  // QLinearConv and QLinearMatMul arrive in opset 10
  int n = rewrite_each(model.graph, fuse);
  if (n > 0) ensure_opset(model, "com.microsoft", 1);
  return n;
}

}  // namespace

const Pass kQdqFusion{.name = "qdq_fusion", .min_level = 2, .run = run_qdq_fusion};

}  // namespace ew
