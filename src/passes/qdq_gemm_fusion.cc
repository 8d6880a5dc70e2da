// QDQ Gemm -> com.microsoft::QGemm, as ONNX Runtime's QDQ transformer does:
//   DQ(a), DQ(W const int8/uint8, per tensor or per output column)
//   [, DQ(C const int32, scale a_scale * w_scale)] -> Gemm [-> Q]
// The QGemm outputs the Q's integers, or float when no QuantizeLinear follows
// (a classifier's last layer). Gemm with beta != 1 stays as it is.
#include <cmath>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"
#include "passes/qdq_match.h"

namespace ew {
namespace {

using qdq::Quant;

// W [K, N] (or [N, K] with transB) with scales per tensor or along N.
bool weight_ok(const Graph& g, const ValueUses& u, const Node& gemm, const Quant& w, int64_t* n) {
  const Tensor* wt = constant_of(g, w.x);
  if (!wt || !qdq::is_int8(wt->dtype()) || wt->rank() != 2) return false;
  const bool tb = gemm.attr_int("transB", 0) != 0;
  *n = tb ? wt->shape()[0] : wt->shape()[1];
  const Tensor* ws = constant_of(g, w.scale);
  if (ws->numel() == 1) return true;
  const Node* dq = u.producer_of(g, gemm.inputs[1]);
  return ws->numel() == *n && dq->attr_int("axis", 1) == (tb ? 0 : 1);
}

// C dequantized from int32 with scale a_scale * w_scale (per column) and no offset.
bool bias_ok(const Graph& g, const ValueUses& u, const std::string& c, const Quant& a, const Quant& w, int64_t n,
             std::string* out) {
  Quant b;
  if (!qdq::dequantized(g, u, c, &b, false)) return false;
  const Tensor* bt = constant_of(g, b.x);
  const Tensor* bs = constant_of(g, b.scale);
  const Tensor* ws = constant_of(g, w.scale);
  if (!bt || bt->dtype() != DType::kInt32 || bt->numel() != n || (bs->numel() != 1 && bs->numel() != n)) return false;
  if (!b.zero_point.empty() && constant_of(g, b.zero_point)->get_int64(0) != 0) return false;
  const double as = constant_of(g, a.scale)->get_double(0);
  for (int64_t j = 0; j < n; ++j) {
    const double want = as * ws->get_double(ws->numel() == 1 ? 0 : j);
    if (std::abs(bs->get_double(bs->numel() == 1 ? 0 : j) - want) > 1e-6 * std::abs(want)) return false;
  }
  *out = b.x;
  return true;
}

bool fuse(Graph& g, const ValueUses& u, size_t i) {
  Node& gemm = g.nodes[i];
  if (gemm.op_type != "Gemm" || !gemm.domain.empty() || gemm.inputs.size() < 2 || gemm.outputs.size() != 1) return false;
  if (gemm.attr_float("beta", 1.0f) != 1.0f || gemm.attr_float("alpha", 1.0f) != 1.0f) return false;
  Quant a, w, y;
  int64_t n = 0;
  if (!qdq::dequantized(g, u, gemm.inputs[0], &a) || !qdq::dequantized(g, u, gemm.inputs[1], &w, false)) return false;
  if (!qdq::is_int8(value_dtype(g, a.x)) || !weight_ok(g, u, gemm, w, &n)) return false;
  std::string bias;
  if (gemm.has_input(2) && !bias_ok(g, u, gemm.inputs[2], a, w, n, &bias)) return false;
  Node* q = qdq::quantized(g, u, gemm.outputs[0], &y);
  Node fused;
  fused.name = gemm.name;
  fused.op_type = "QGemm";
  fused.domain = "com.microsoft";
  for (const char* attr : {"transA", "transB"})
    if (gemm.has_attr(attr)) fused.attributes[attr] = *gemm.attr(attr);
  fused.inputs = {a.x, a.scale, qdq::zero_point_or_zero(g, a.zero_point, value_dtype(g, a.x)),
                  w.x, w.scale, qdq::zero_point_or_zero(g, w.zero_point, constant_of(g, w.x)->dtype()), bias};
  if (q) {
    fused.inputs.push_back(y.scale);
    fused.inputs.push_back(y.zero_point);
    fused.outputs = q->outputs;
    mark_removed(gemm);
    *q = std::move(fused);
  } else {
    fused.outputs = gemm.outputs;
    gemm = std::move(fused);
  }
  return true;
}

Result<int> run_qdq_gemm_fusion(Model& model) {
  const int n = rewrite_each(model.graph, fuse);
  if (n > 0) ensure_opset(model, "com.microsoft", 1);
  return n;
}

}  // namespace

const Pass kQdqGemmFusion{.name = "qdq_gemm_fusion", .min_level = 2, .run = run_qdq_gemm_fusion};

}  // namespace ew
