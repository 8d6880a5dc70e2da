// QLinearMatMul with a 2-D A and a constant 2-D B (uint8 values run as int8,
// see XnnpackBuilder). B must be int8 with zero point 0 or uint8 with zero
// point 128. One B scale: XNNPACK's int8 fully connected op. One scale per
// column: this XNNPACK has no per-channel fully connected op, so A [M, K] is
// reshaped to [M, 1, 1, K] for a per-channel (qc8) 1x1 convolution and the
// result reshaped back to [M, N]. Requantization is the reference's (float
// multiplier a_scale * b_scale / y_scale, round half to even).
#include <cmath>
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kYScale, kYZp };

struct QMatMulParams {
  QuantParams a, y;
  DType btype = DType::kInt8;
  std::vector<float> b_scales;  // 1 or n
  int64_t m = 0, k = 0, n = 0;
};

// B's scales (1 or n, finite, > 0) and zero points (all 0 for int8, 128 for uint8).
bool b_quant(const TypeLookup& types, const Node& node, QMatMulParams* p) {
  const Tensor* s = types.constant(node.inputs[kBScale]);
  if (!s || s->dtype() != DType::kFloat32 || s->shape().size() > 1 || (s->numel() != 1 && s->numel() != p->n))
    return false;
  p->b_scales.assign(s->data<float>(), s->data<float>() + s->numel());
  for (float v : p->b_scales)
    if (!(v > 0) || !std::isfinite(v)) return false;
  const int32_t want = p->btype == DType::kUInt8 ? 128 : 0;
  if (!node.has_input(kBZp)) return want == 0;
  const Tensor* z = types.constant(node.inputs[kBZp]);
  if (!z || z->dtype() != p->btype || z->shape().size() > 1 || (z->numel() != 1 && z->numel() != p->n)) return false;
  for (int64_t i = 0; i < z->numel(); ++i) {
    int32_t v = p->btype == DType::kInt8 ? int32_t(z->data<int8_t>()[i]) : int32_t(z->data<uint8_t>()[i]);
    if (v != want) return false;
  }
  return true;
}

Result<QMatMulParams> qmatmul_params(const Node& node, const TypeLookup& types) {
  QMatMulParams p;
  if (node.num_inputs() < 8 || node.outputs.size() != 1) return unsupported("inputs");
  const ValueType *at = types.type(node.inputs[kA]), *yt = types.type(node.outputs[0]);
  const Tensor* b = types.constant(node.inputs[kB]);
  if (!at || !yt || !b || !at->fully_known() || !yt->fully_known()) return unsupported("static types");
  Shape a = at->concrete_shape();
  if (a.size() != 2 || b->shape().size() != 2 || b->shape()[0] != a[1]) return unsupported("shapes");
  p.m = a[0];
  p.k = a[1];
  p.n = b->shape()[1];
  p.btype = b->dtype();
  if (p.btype != DType::kInt8 && p.btype != DType::kUInt8) return unsupported("B type");
  if (!const_quant(types, node.inputs[kAScale], node.inputs[kAZp], at->dtype, &p.a) ||
      !const_quant(types, node.inputs[kYScale], node.inputs[kYZp], yt->dtype, &p.y) || !b_quant(types, node, &p))
    return unsupported("quantization parameters");
  for (float bs : p.b_scales) {
    float requant = p.a.scale * bs / p.y.scale;
    if (!(requant < 256.0f) || !(requant >= 0x1.0p-32f)) return unsupported("requantization scale out of range");
  }
  return p;
}

bool supports_qmatmul(const Node& node, const TypeLookup& types) { return qmatmul_params(node, types).is_ok(); }

// B [K, N] as int8 [N, K].
std::vector<uint8_t> filter_bytes(const Tensor& bt, const QMatMulParams& p) {
  const uint8_t* src = static_cast<const uint8_t*>(bt.raw());
  const uint8_t flip = p.btype == DType::kUInt8 ? 0x80 : 0;
  std::vector<uint8_t> filter(static_cast<size_t>(p.k * p.n));
  for (int64_t k = 0; k < p.k; ++k)
    for (int64_t n = 0; n < p.n; ++n) filter[n * p.k + k] = src[k * p.n + n] ^ flip;
  return filter;
}

Status define_reshape(XnnpackBuilder& b, const std::vector<size_t>& dims, uint32_t in, uint32_t out) {
  xnn_status st = xnn_define_static_reshape(b.subgraph(), dims.size(), dims.data(), in, out, 0);
  return st == xnn_status_success ? Status::ok() : xnn_error(st, "a quantized reshape");
}

Status define_qmatmul(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(QMatMulParams p, qmatmul_params(node, b.types()));
  const Tensor& bt = *b.constant(node.inputs[kB]);
  std::vector<uint8_t> zeros(static_cast<size_t>(p.n) * sizeof(int32_t), 0);
  EW_ASSIGN_OR_RETURN(uint32_t a, b.quantized_value(node.inputs[kA], p.a));
  EW_ASSIGN_OR_RETURN(uint32_t y, b.quantized_output(node.outputs[0], p.y));
  const float inf = std::numeric_limits<float>::infinity();
  const size_t m = size_t(p.m), k = size_t(p.k), n = size_t(p.n);
  if (p.b_scales.size() == 1) {
    EW_ASSIGN_OR_RETURN(uint32_t w,
                        b.static_quantized(xnn_datatype_qint8, 0, p.b_scales[0], {n, k}, filter_bytes(bt, p)));
    EW_ASSIGN_OR_RETURN(uint32_t bias,
                        b.static_quantized(xnn_datatype_qint32, 0, p.a.scale * p.b_scales[0], {n}, std::move(zeros)));
    xnn_status st = xnn_define_fully_connected(b.subgraph(), -inf, inf, a, w, bias, y, 0);
    if (st != xnn_status_success) return xnn_error(st, "quantized fully connected " + node.label());
    return Status::ok();
  }
  std::vector<float> bias_scales(p.b_scales);
  for (float& s : bias_scales) s *= p.a.scale;
  EW_ASSIGN_OR_RETURN(uint32_t w, b.static_channelwise(xnn_datatype_qcint8, p.b_scales, 0, {n, 1, 1, k},
                                                       filter_bytes(bt, p)));
  EW_ASSIGN_OR_RETURN(uint32_t bias, b.static_channelwise(xnn_datatype_qcint32, std::move(bias_scales), 0, {n},
                                                          std::move(zeros)));
  EW_ASSIGN_OR_RETURN(uint32_t a4, b.quantized_internal({m, 1, 1, k}, p.a));
  EW_ASSIGN_OR_RETURN(uint32_t y4, b.quantized_internal({m, 1, 1, n}, p.y));
  EW_RETURN_IF_ERROR(define_reshape(b, {m, 1, 1, k}, a, a4));
  xnn_status st = xnn_define_convolution_2d(b.subgraph(), 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, k, n, -inf, inf, a4, w,
                                            bias, y4, 0);
  if (st != xnn_status_success) return xnn_error(st, "quantized matmul as 1x1 convolution " + node.label());
  return define_reshape(b, {m, n}, y4, y);
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "QLinearMatMul", .domain = "", .supports = supports_qmatmul,
                             .define = define_qmatmul);

}  // namespace ew
