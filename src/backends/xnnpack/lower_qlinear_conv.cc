// QLinearConv on XNNPACK's signed 8-bit convolutions. Activations of either
// 8-bit type run as int8 inside the partition (see XnnpackBuilder), so x and y
// may each be uint8 or int8. Weights must be int8 with zero point 0 (per-tensor
// scale -> qs8, per-channel scales -> qc8), or uint8 with zero point 128
// (re-stored as int8 with zero point 0). XNNPACK requantizes as the reference
// does: float multiplier x_scale * w_scale / y_scale, round half to even.
// Other weight zero points decline.
#include <cmath>
#include <cstring>
#include <limits>

#include "backends/xnnpack/conv_node.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

enum Input { kX, kXScale, kXZp, kW, kWScale, kWZp, kYScale, kYZp, kBias };

struct QConvParams : ConvShape {
  QuantParams x, y;
  DType wtype = DType::kInt8;
  std::vector<float> w_scales;  // 1 (per tensor) or cout
};

// Weight scales (1 or cout, all finite and > 0); the weight zero point must be
// the type's "zero" (0 for int8, 128 for uint8) everywhere.
bool weight_quant(const TypeLookup& types, const Node& node, QConvParams* p) {
  if (!const_scales(types, node.inputs[kWScale], p->cout, &p->w_scales)) return false;
  const int32_t want = p->wtype == DType::kUInt8 ? 128 : 0;
  return const_zero_points_are(types, node.has_input(kWZp) ? node.inputs[kWZp] : "", p->wtype, p->cout, want);
}

Result<QConvParams> qconv_params(const Node& node, const TypeLookup& types) {
  QConvParams p;
  if (node.num_inputs() < 8 || node.outputs.size() != 1) return unsupported("inputs");
  const ValueType *xt = types.type(node.inputs[kX]), *yt = types.type(node.outputs[0]),
                  *wt = types.type(node.inputs[kW]);
  if (!xt || !yt || !wt || !xt->fully_known() || !yt->fully_known() || !types.constant(node.inputs[kW]))
    return unsupported("x and y must be static, w constant");
  p.wtype = wt->dtype;
  if (p.wtype != DType::kInt8 && p.wtype != DType::kUInt8) return unsupported("weight type");
  if (!const_quant(types, node.inputs[kXScale], node.inputs[kXZp], xt->dtype, &p.x) ||
      !const_quant(types, node.inputs[kYScale], node.has_input(kYZp) ? node.inputs[kYZp] : "", yt->dtype, &p.y))
    return unsupported("quantization parameters");
  EW_ASSIGN_OR_RETURN(static_cast<ConvShape&>(p), conv_shape(node, static_shape(types, node.inputs[kX]),
                                                               static_shape(types, node.inputs[kW])));
  if (!weight_quant(types, node, &p)) return unsupported("weight quantization");
  for (float ws : p.w_scales) {
    float requant = p.x.scale * ws / p.y.scale;
    if (!(requant < 256.0f) || !(requant >= 0x1.0p-32f)) return unsupported("requantization scale out of range");
  }
  if (node.has_input(kBias)) {
    const Tensor* b = types.constant(node.inputs[kBias]);
    if (!b || b->dtype() != DType::kInt32 || b->numel() != p.cout) return unsupported("bias");
  }
  return p;
}

bool supports_qconv(const Node& node, const TypeLookup& types) { return qconv_params(node, types).is_ok(); }

// OIHW -> OHWI, or [1, KH, KW, Cout] when depthwise, as int8 (uint8 weights
// with zero point 128 flip their top bit).
std::vector<uint8_t> filter_bytes(const Tensor& w, const QConvParams& p) {
  const uint8_t* src = static_cast<const uint8_t*>(w.raw());
  const uint8_t flip = p.wtype == DType::kUInt8 ? 0x80 : 0;
  int64_t ci = p.cin / p.group;
  std::vector<uint8_t> out(static_cast<size_t>(w.numel()));
  for (int64_t o = 0; o < p.cout; ++o)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t k = 0; k < p.kh * p.kw; ++k) {
        uint8_t v = src[(o * ci + i) * p.kh * p.kw + k] ^ flip;
        if (p.depthwise) out[k * p.cout + o] = v;
        else out[(o * p.kh * p.kw + k) * ci + i] = v;
      }
  return out;
}

Status define_qconv(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(QConvParams p, qconv_params(node, b.types()));
  const Tensor& w = *b.constant(node.inputs[kW]);
  std::vector<size_t> wdims = p.depthwise ? std::vector<size_t>{1, size_t(p.kh), size_t(p.kw), size_t(p.cout)}
                                          : std::vector<size_t>{size_t(p.cout), size_t(p.kh), size_t(p.kw),
                                                                size_t(p.cin / p.group)};
  std::vector<uint8_t> bias(static_cast<size_t>(p.cout) * sizeof(int32_t), 0);
  if (node.has_input(kBias)) std::memcpy(bias.data(), b.constant(node.inputs[kBias])->raw(), bias.size());
  uint32_t filter = XNN_INVALID_VALUE_ID, bias_id = XNN_INVALID_VALUE_ID;
  if (p.w_scales.size() == 1) {
    float ws = p.w_scales[0];
    EW_ASSIGN_OR_RETURN(filter, b.static_quantized(xnn_datatype_qint8, 0, ws, wdims, filter_bytes(w, p)));
    EW_ASSIGN_OR_RETURN(bias_id, b.static_quantized(xnn_datatype_qint32, 0, p.x.scale * ws, {size_t(p.cout)},
                                                    std::move(bias)));
  } else {
    std::vector<float> bias_scales(p.w_scales);
    for (float& s : bias_scales) s *= p.x.scale;
    EW_ASSIGN_OR_RETURN(filter, b.static_channelwise(xnn_datatype_qcint8, p.w_scales, p.depthwise ? 3 : 0, wdims,
                                                     filter_bytes(w, p)));
    EW_ASSIGN_OR_RETURN(bias_id, b.static_channelwise(xnn_datatype_qcint32, std::move(bias_scales), 0,
                                                      {size_t(p.cout)}, std::move(bias)));
  }
  EW_ASSIGN_OR_RETURN(uint32_t in, b.quantized_value(node.inputs[kX], p.x));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.quantized_output(node.outputs[0], p.y));
  const float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
  xnn_status st = define_xnn_convolution(b.subgraph(), p, lo, hi, in, filter, bias_id, out);
  if (st != xnn_status_success) return xnn_error(st, "quantized convolution " + node.label());
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "QLinearConv", .domain = "", .supports = supports_qconv,
                             .define = define_qconv);

}  // namespace ew
