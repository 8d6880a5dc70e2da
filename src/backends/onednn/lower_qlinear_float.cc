// Quantized ops oneDNN has no int8 form of, computed with the reference's
// arithmetic, operation for operation, so the results are the same:
//   com.microsoft QLinearAdd (one operand may broadcast): both operands
//     dequantized, (a - za) sa and (b - zb) sb (exact reorders), added, then
//     divided by sc, rounded half to even and shifted by zc (post-ops);
//   com.microsoft QLinearGlobalAveragePool (NCHW): an int32 sum, then
//     round((sum - zx n) sx / (sy n)) + zy in one reorder.
#include "backends/onednn/onednn_engine.h"
#include "backends/onednn/onednn_ops.h"
#include "backends/onednn/onednn_quant.h"

namespace ew {

namespace {

bool quant8(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

// Scale and zero point inputs i, i + 1 of a node whose value has dtype t.
bool params_at(const Node& node, const TypeLookup& types, size_t i, DType t, QuantParams* q) {
  return node.inputs.size() > i && const_quant(types, node.inputs[i], node.inputs.size() > i + 1 ? node.inputs[i + 1] : "", t, q);
}

// A reorder of `in` into a new memory of its layout with data type `t`, scaled and shifted.
dnnl::memory rescale(OnednnBuilder& b, const dnnl::memory& in, dnnl::memory::data_type t, float scale, int arg,
                     const dnnl::memory& zero_point, dnnl::memory* out_or_null = nullptr) {
  dnnl::memory::desc d = in.get_desc();
  d.data.data_type = static_cast<dnnl_data_type_t>(t);
  dnnl::memory out = out_or_null ? *out_or_null : b.temporary(d);
  dnnl::primitive_attr attr = b.attr();
  attr.set_output_scales(0, {scale});
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_FROM, in}, {DNNL_ARG_TO, out}};
  if (zero_point) {
    attr.set_zero_points(arg, 0, {DNNL_RUNTIME_S32_VAL});
    args[DNNL_ARG_ATTR_ZERO_POINTS | arg] = zero_point;
  }
  dnnl::reorder::primitive_desc pd(in, out, attr);
  b.add(dnnl::reorder(pd), std::move(args), pd.scratchpad_desc());
  return out;
}

Result<dnnl::memory> s32_scalar(OnednnBuilder& b, int32_t v) {
  if (v == 0) return dnnl::memory();
  const dnnl::memory::desc one({1}, dnnl::memory::data_type::s32, dnnl::memory::format_tag::a);
  return b.constant_as(&v, one, one);
}

bool supports_qadd(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() < 7 || node.outputs.size() != 1) return false;
  if (!all_static(node, types, {DType::kUInt8, DType::kInt8, DType::kFloat32})) return false;
  const ValueType *a = types.type(node.inputs[0]), *b = types.type(node.inputs[3]), *c = types.type(node.outputs[0]);
  QuantParams p;
  return quant8(a->dtype) && a->dtype == b->dtype && a->dtype == c->dtype && (a->dims == c->dims || b->dims == c->dims) &&
         params_at(node, types, 1, a->dtype, &p) && params_at(node, types, 4, a->dtype, &p) &&
         params_at(node, types, 6, a->dtype, &p);
}

Status define_qadd_operands(OnednnBuilder& b, const Node& node, const std::string& first, const std::string& second,
                            const QuantParams& pa, const QuantParams& pb, const QuantParams& pc, const Shape& c_shape);

Status define_qadd(OnednnBuilder& b, const Node& node) {
  const DType t = b.type(node.inputs[0])->dtype;
  QuantParams pa, pb, pc;
  if (!params_at(node, b.types(), 1, t, &pa) || !params_at(node, b.types(), 4, t, &pb) ||
      !params_at(node, b.types(), 6, t, &pc))
    return unsupported("quantization parameters");
  // oneDNN broadcasts only its second source: the full-sized operand goes first (addition commutes).
  const Shape c_shape = known_shape(b.types(), node.outputs[0]);
  if (known_shape(b.types(), node.inputs[0]) != c_shape) {
    std::swap(pa, pb);
    return define_qadd_operands(b, node, node.inputs[3], node.inputs[0], pa, pb, pc, c_shape);
  }
  return define_qadd_operands(b, node, node.inputs[0], node.inputs[3], pa, pb, pc, c_shape);
}

Status define_qadd_operands(OnednnBuilder& b, const Node& node, const std::string& first, const std::string& second,
                            const QuantParams& pa, const QuantParams& pb, const QuantParams& pc, const Shape& c_shape) {
  // Plain layouts: oneDNN 2.6's binary with a post-op divisor crashes on
  // blocked layouts whose channels are padded (33 channels in nCw16c).
  EW_ASSIGN_OR_RETURN(dnnl::memory a, b.value_plain(first));
  dnnl::memory bm;
  const Shape b_shape = known_shape(b.types(), second);
  if (b_shape == c_shape) {
    EW_ASSIGN_OR_RETURN(bm, b.value_as(second, a.get_desc()));
  } else {  // broadcast: plain, with leading 1s
    Shape aligned(c_shape.size() - b_shape.size(), 1);
    aligned.insert(aligned.end(), b_shape.begin(), b_shape.end());
    EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(second));
    bm = b.view(plain, plain_desc(aligned, b.type(second)->dtype));
  }
  const auto f32 = dnnl::memory::data_type::f32;
  EW_ASSIGN_OR_RETURN(dnnl::memory za, s32_scalar(b, pa.zero_point));
  EW_ASSIGN_OR_RETURN(dnnl::memory zb, s32_scalar(b, pb.zero_point));
  dnnl::memory va = rescale(b, a, f32, pa.scale, DNNL_ARG_SRC, za);
  dnnl::memory vb = rescale(b, bm, f32, pb.scale, DNNL_ARG_SRC, zb);
  const dnnl::memory::desc one = plain_desc(Shape(c_shape.size(), 1), DType::kFloat32);
  float sc = pc.scale;
  EW_ASSIGN_OR_RETURN(dnnl::memory divisor, b.constant_as(&sc, one, one));
  dnnl::post_ops po;
  po.append_binary(dnnl::algorithm::binary_div, one);
  po.append_eltwise(1.f, dnnl::algorithm::eltwise_round, 0.f, 0.f);
  po.append_eltwise(1.f, dnnl::algorithm::eltwise_linear, 1.f, static_cast<float>(pc.zero_point));
  dnnl::primitive_attr attr = b.attr();
  attr.set_post_ops(po);
  dnnl::memory::desc dst = va.get_desc();
  dst.data.data_type = static_cast<dnnl_data_type_t>(onednn_dtype(b.type(node.outputs[0])->dtype));
  auto desc = dnnl::binary::desc(dnnl::algorithm::binary_add, va.get_desc(), vb.get_desc(), dst);
  dnnl::binary::primitive_desc pd(desc, attr, onednn_engine());
  dnnl::memory out = b.define(node.outputs[0], pd.dst_desc());
  b.add(dnnl::binary(pd),
        {{DNNL_ARG_SRC_0, va}, {DNNL_ARG_SRC_1, vb}, {DNNL_ARG_DST, out},
         {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, divisor}},
        pd.scratchpad_desc());
  return Status::ok();
}

bool supports_qgap(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() < 4 || node.outputs.size() != 1 || node.attr_int("channels_last", 0) != 0) return false;
  if (!all_static(node, types, {DType::kUInt8, DType::kInt8, DType::kFloat32})) return false;
  const ValueType *x = types.type(node.inputs[0]), *y = types.type(node.outputs[0]);
  QuantParams p;
  return quant8(x->dtype) && quant8(y->dtype) && x->dims.size() >= 3 && params_at(node, types, 1, x->dtype, &p) &&
         params_at(node, types, 3, y->dtype, &p);
}

Status define_qgap(OnednnBuilder& b, const Node& node) {
  const ValueType &xt = *b.type(node.inputs[0]), &yt = *b.type(node.outputs[0]);
  QuantParams px, py;
  if (!params_at(node, b.types(), 1, xt.dtype, &px) || !params_at(node, b.types(), 3, yt.dtype, &py))
    return unsupported("quantization parameters");
  const Shape xs = xt.concrete_shape(), ys = yt.concrete_shape();
  int64_t size = 1;
  for (size_t i = 2; i < xs.size(); ++i) size *= xs[i];
  EW_ASSIGN_OR_RETURN(dnnl::memory x, b.value(node.inputs[0]));
  dnnl::memory::desc sum_desc(onednn_dims(ys), dnnl::memory::data_type::s32, dnnl::memory::format_tag::any);
  auto desc = dnnl::reduction::desc(dnnl::algorithm::reduction_sum, x.get_desc(), sum_desc, 0.f, 0.f);
  dnnl::reduction::primitive_desc pd(desc, b.attr(), onednn_engine());
  dnnl::memory sum = b.temporary(pd.dst_desc());
  b.add(dnnl::reduction(pd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, sum}}, pd.scratchpad_desc());
  // y = round((sum - zx n) * (sx / (sy n))) + zy, the reference's order
  dnnl::memory::desc yd = pd.dst_desc();
  yd.data.data_type = static_cast<dnnl_data_type_t>(onednn_dtype(yt.dtype));
  dnnl::memory y = b.define(node.outputs[0], yd);
  const float scale = px.scale / (py.scale * static_cast<float>(size));
  dnnl::primitive_attr attr = b.attr();
  attr.set_output_scales(0, {scale});
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_FROM, sum}, {DNNL_ARG_TO, y}};
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, DNNL_ARG_SRC, static_cast<int32_t>(px.zero_point * size)).status());
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, DNNL_ARG_DST, py.zero_point).status());
  dnnl::reorder::primitive_desc rpd(sum, y, attr);
  b.add(dnnl::reorder(rpd), std::move(args), rpd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "QLinearAdd", .domain = "com.microsoft", .supports = supports_qadd,
                            .define = define_qadd);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "QLinearGlobalAveragePool", .domain = "com.microsoft",
                            .supports = supports_qgap, .define = define_qgap);

}  // namespace ew
