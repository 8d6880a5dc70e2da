// QuantizeLinear / DequantizeLinear with one scale and zero point, between
// float32 and uint8 / int8, as XNNPACK Convert nodes, so a float value can
// feed an int8 partition and its result leave it as float. Per-axis scales
// and other types decline. A constant DequantizeLinear input (a quantized
// weight feeding a float op) becomes a static tensor converted on each run.
#include "backends/xnnpack/layout.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

bool is_static(const ValueType* t) { return t && t->fully_known() && t->dims.size() <= 6; }

// The quantized side's parameters; false when the node does not fit.
bool convert_params(const Node& node, const TypeLookup& types, QuantParams* q) {
  if (node.num_inputs() < 2 || node.outputs.size() != 1) return false;
  const ValueType *in = types.type(node.inputs[0]), *out = types.type(node.outputs[0]);
  if (!is_static(in) || !is_static(out) || in->concrete_shape() != out->concrete_shape()) return false;
  const bool quantize = node.op_type == "QuantizeLinear";
  if (quantize && types.constant(node.inputs[0])) return false;
  const ValueType* f = quantize ? in : out;
  const ValueType* i8 = quantize ? out : in;
  if (f->dtype != DType::kFloat32) return false;
  if (quantize && node.attr_int("saturate", 1) != 1) return false;
  const std::string zp = node.has_input(2) ? node.inputs[2] : "";
  return const_quant(types, node.inputs[1], zp, i8->dtype, q);
}

// A constant quantized input (e.g. a weight being dequantized) as a static
// int8 tensor: 4-D ones laid out NHWC, uint8 ones shifted to int8.
Result<uint32_t> static_input(XnnpackBuilder& b, const Tensor& t, const QuantParams& q) {
  const uint8_t* p = static_cast<const uint8_t*>(t.raw());
  std::vector<uint8_t> data(p, p + t.numel());
  if (t.shape().size() == 4) data = nchw_to_nhwc(data, t.shape());
  if (q.dtype == DType::kUInt8)
    for (uint8_t& v : data) v ^= 0x80;
  const int32_t zp = q.dtype == DType::kUInt8 ? q.zero_point - 128 : q.zero_point;
  return b.static_quantized(xnn_datatype_qint8, zp, q.scale, XnnpackBuilder::xnn_dims(t.shape()), std::move(data));
}

bool supports_convert(const Node& node, const TypeLookup& types) {
  QuantParams q;
  return convert_params(node, types, &q);
}

Status define_convert(XnnpackBuilder& b, const Node& node) {
  QuantParams q;
  if (!convert_params(node, b.types(), &q)) return unsupported("conversion " + node.label());
  uint32_t in = XNN_INVALID_VALUE_ID, out = XNN_INVALID_VALUE_ID;
  if (node.op_type == "QuantizeLinear") {
    EW_ASSIGN_OR_RETURN(in, b.value(node.inputs[0]));
    EW_ASSIGN_OR_RETURN(out, b.quantized_output(node.outputs[0], q));
  } else {
    if (const Tensor* c = b.constant(node.inputs[0])) {
      EW_ASSIGN_OR_RETURN(in, static_input(b, *c, q));
    } else {
      EW_ASSIGN_OR_RETURN(in, b.quantized_value(node.inputs[0], q));
    }
    EW_ASSIGN_OR_RETURN(out, b.output(node.outputs[0]));
  }
  xnn_status st = xnn_define_convert(b.subgraph(), in, out, 0);
  if (st != xnn_status_success) return xnn_error(st, "conversion " + node.label());
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "QuantizeLinear", .domain = "", .supports = supports_convert,
                             .define = define_convert);
EW_REGISTER_XNNPACK_LOWERING(.op_type = "DequantizeLinear", .domain = "", .supports = supports_convert,
                             .define = define_convert);

}  // namespace ew
