// QLinearConv as a oneDNN int8 convolution: uint8 or int8 activations with a
// zero point, int8 weights (uint8 ones with zero point 128 are shifted to
// int8), per-tensor or per-channel scales, the int32 bias added to the
// accumulator, then scaled by x_scale * w_scale / y_scale (float, as the
// reference), rounded half to even and saturated around y_zero_point: exact.
// Without VNNI or AMX (plain AVX2) oneDNN sums pairs of u8 x s8 products in
// 16 bits (vpmaddubsw), which saturates for large weights, so there only
// weights within 7 bits are taken (exact_int8_weights).
#include "backends/onednn/onednn_conv.h"
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"
#include "backends/onednn/onednn_quant.h"

namespace ew {

namespace {

enum Input { kX, kXScale, kXZp, kW, kWScale, kWZp, kYScale, kYZp, kBias };

using md = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;

struct QConv {
  QuantParams x, y;
  std::vector<float> w_scales;
  OnednnConvGeometry g;
};

Result<QConv> qconv(const Node& node, const TypeLookup& types) {
  QConv q;
  if (node.num_inputs() < 8 || node.outputs.size() != 1) return unsupported("inputs");
  if (!all_static(node, types, {DType::kUInt8, DType::kInt8, DType::kFloat32, DType::kInt32}))
    return unsupported("types");
  const Tensor* w = types.constant(node.inputs[kW]);
  if (!w || (node.has_input(kBias) && !types.constant(node.inputs[kBias]))) return unsupported("w and B must be constant");
  if (w->dtype() != DType::kInt8 && w->dtype() != DType::kUInt8) return unsupported("weights must be 8-bit");
  const Shape x = known_shape(types, node.inputs[kX]), ws = w->shape();
  EW_ASSIGN_OR_RETURN(q.g, onednn_conv_geometry(node, x, ws));  // checks the ranks first
  const DType xt = types.type(node.inputs[kX])->dtype, yt = types.type(node.outputs[0])->dtype;
  if (!const_quant(types, node.inputs[kXScale], node.inputs[kXZp], xt, &q.x) ||
      !const_quant(types, node.inputs[kYScale], node.has_input(kYZp) ? node.inputs[kYZp] : "", yt, &q.y))
    return unsupported("activation quantization");
  const int32_t w_zero = w->dtype() == DType::kUInt8 ? 128 : 0;
  if (!const_scales(types, node.inputs[kWScale], ws[0], &q.w_scales) ||
      !const_zero_points_are(types, node.has_input(kWZp) ? node.inputs[kWZp] : "", w->dtype(), ws[0], w_zero))
    return unsupported("weight quantization");
  if (!exact_int8(xt, *w)) return unsupported("weights beyond 7 bits saturate without VNNI");
  return q;
}

bool supports_qconv(const Node& node, const TypeLookup& types) { return qconv(node, types).is_ok(); }

Status define_qconv(OnednnBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(QConv q, qconv(node, b.types()));
  const Tensor& w = *b.constant(node.inputs[kW]);
  const Shape x = known_shape(b.types(), node.inputs[kX]), y = known_shape(b.types(), node.outputs[0]);
  const Shape wd = onednn_weight_dims(w.shape(), q.g.group);
  const auto s8 = dnnl::memory::data_type::s8;
  md src(onednn_dims(x), onednn_dtype(q.x.dtype), tag::any), wei(onednn_dims(wd), s8, tag::any);
  md dst(onednn_dims(y), onednn_dtype(q.y.dtype), tag::any);
  md bias = node.has_input(kBias) ? md({w.dim(0)}, dnnl::memory::data_type::s32, tag::a) : md();
  auto desc = dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                              src, wei, bias, dst, q.g.strides, q.g.dilates, q.g.pad_l, q.g.pad_r);
  dnnl::primitive_attr attr = b.attr();
  std::vector<float> scales = requantize_scales(q.x.scale, q.w_scales, q.y.scale);
  attr.set_output_scales(scales.size() > 1 ? 1 << 1 : 0, scales);
  std::unordered_map<int, dnnl::memory> args;
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, DNNL_ARG_SRC, q.x.zero_point).status());
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, DNNL_ARG_DST, q.y.zero_point).status());
  dnnl::convolution_forward::primitive_desc pd(desc, attr, onednn_engine());
  EW_ASSIGN_OR_RETURN(args[DNNL_ARG_SRC], b.value_as(node.inputs[kX], pd.src_desc()));
  std::vector<int8_t> weights = signed_weights(w);
  EW_ASSIGN_OR_RETURN(args[DNNL_ARG_WEIGHTS], b.constant_as(weights.data(), plain_desc(wd, DType::kInt8), pd.weights_desc()));
  if (node.has_input(kBias)) {
    EW_ASSIGN_OR_RETURN(args[DNNL_ARG_BIAS], b.constant_tensor_as(*b.constant(node.inputs[kBias]), pd.bias_desc()));
  }
  args[DNNL_ARG_DST] = b.define(node.outputs[0], pd.dst_desc());
  b.add(dnnl::convolution_forward(pd), std::move(args), pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "QLinearConv", .domain = "", .supports = supports_qconv, .define = define_qconv);

}  // namespace ew
