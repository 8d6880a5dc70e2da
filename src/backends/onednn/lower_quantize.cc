// QuantizeLinear (float32 -> uint8/int8) and DequantizeLinear (uint8/int8 ->
// float32) with one scale and zero point, as oneDNN reorders. Dequantizing,
// (q - zero_point) * scale, is exact. Quantizing multiplies by 1 / scale where
// ONNX divides by scale: where x / scale lies within a rounding error of a
// half-way point, the result may be one step away from the reference.
#include "backends/onednn/onednn_ops.h"
#include "backends/onednn/onednn_quant.h"

namespace ew {

namespace {

bool quant8(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

// The quantized side's dtype: Quantize's output, Dequantize's input.
DType quantized_type(const Node& node, const TypeLookup& types) {
  const ValueType* t = types.type(node.op_type == "QuantizeLinear" ? node.outputs[0] : node.inputs[0]);
  return t ? t->dtype : DType::kUndefined;
}

bool supports_quantize(const Node& node, const TypeLookup& types) {
  if (node.inputs.size() < 2 || node.outputs.size() != 1) return false;
  if (!all_static(node, types, {DType::kFloat32, DType::kUInt8, DType::kInt8})) return false;
  const DType q = quantized_type(node, types);
  QuantParams p;
  return quant8(q) && const_quant(types, node.inputs[1], node.inputs.size() > 2 ? node.inputs[2] : "", q, &p);
}

Status define_quantize(OnednnBuilder& b, const Node& node) {
  const bool quantize = node.op_type == "QuantizeLinear";
  const DType q = quantized_type(node, b.types());
  QuantParams p;
  if (!const_quant(b.types(), node.inputs[1], node.inputs.size() > 2 ? node.inputs[2] : "", q, &p))
    return unsupported("quantization parameters");
  EW_ASSIGN_OR_RETURN(dnnl::memory in, b.value(node.inputs[0]));
  const ValueType& yt = *b.type(node.outputs[0]);
  // The output keeps the input's layout (a quantized conv's blocked output dequantizes in place).
  dnnl::memory::desc out_desc = in.get_desc();
  out_desc.data.data_type = static_cast<dnnl_data_type_t>(onednn_dtype(yt.dtype));
  dnnl::memory out = b.define(node.outputs[0], out_desc);
  dnnl::primitive_attr attr = b.attr();
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_FROM, in}, {DNNL_ARG_TO, out}};
  attr.set_output_scales(0, {quantize ? 1.0f / p.scale : p.scale});
  EW_RETURN_IF_ERROR(add_zero_point(b, attr, args, quantize ? DNNL_ARG_DST : DNNL_ARG_SRC, p.zero_point).status());
  dnnl::reorder::primitive_desc pd(in, out, attr);
  b.add(dnnl::reorder(pd), std::move(args), pd.scratchpad_desc());
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "QuantizeLinear", .domain = "", .supports = supports_quantize,
                            .define = define_quantize);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "DequantizeLinear", .domain = "", .supports = supports_quantize,
                            .define = define_quantize);

}  // namespace ew
