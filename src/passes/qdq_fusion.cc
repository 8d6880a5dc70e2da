// QDQ groups -> integer ops, as ONNX Runtime's QDQ transformer does at level 2:
//   DQ(x), DQ(w const int8/uint8)[, DQ(b const int32)] -> Conv -> Q  => QLinearConv
//   DQ(a), DQ(b; const 2-D when per column)             -> MatMul -> Q => QLinearMatMul
//   DQ(a), DQ(b)                                        -> Add -> Q  => com.microsoft::QLinearAdd
//   DQ(x) -> GlobalAveragePool / AveragePool -> Q  => com.microsoft::QLinearGlobalAveragePool / QLinearAveragePool
// Scales and zero points must be constants; activations per tensor. The
// integer ops requantize once (round half to even) where the float form
// rounds after float accumulation, which is how ORT's reference outputs of
// QDQ models are produced. The DequantizeLinear nodes left unread are removed
// by dead code elimination.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"
#include "passes/qdq_match.h"

namespace ew {
namespace {

using qdq::Quant;
using qdq::dequantized;
using qdq::is_int8;
using qdq::quantized;
using qdq::zero_point_or_zero;

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

// B's scales: one, or one per column of a constant 2-D B dequantized along axis 1.
bool matmul_b_scales_ok(const Graph& g, const ValueUses& u, const Node& mm, const Quant& b) {
  const Tensor* s = constant_of(g, b.scale);
  if (s->numel() == 1) return true;
  const Tensor* bt = constant_of(g, b.x);
  const int64_t axis = u.producer_of(g, mm.inputs[1])->attr_int("axis", 1);
  return bt && bt->rank() == 2 && s->rank() == 1 && s->numel() == bt->shape()[1] && (axis == 1 || axis == -1);
}

bool fuse_matmul(Graph& g, const ValueUses& u, Node& mm, Node& q, const Quant& y) {
  Quant a, b;
  if (!dequantized(g, u, mm.inputs[0], &a) || !dequantized(g, u, mm.inputs[1], &b, false)) return false;
  if (!is_int8(value_dtype(g, a.x)) || !is_int8(value_dtype(g, b.x))) return false;
  if (!matmul_b_scales_ok(g, u, mm, b)) return false;
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
