// com.microsoft::QLinearAdd on XNNPACK's int8 add (uint8 values run as int8,
// see XnnpackBuilder), with numpy broadcasting. At most one operand may be a
// constant (it becomes a static tensor aligned to the output's rank, NHWC when
// 4-D); a computed operand of a 4-D output must itself be 4-D, so both sides
// share the NHWC layout. Scale ratios must be in the range XNNPACK accepts.
#include <limits>

#include "backends/xnnpack/layout.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kCScale, kCZp };

struct QAddParams {
  QuantParams a, b, c;
};

// The operand's shape broadcasts to `out` and, when computed, fits the layout.
bool operand_fits(const TypeLookup& types, const std::string& name, const Shape& out) {
  Shape s = types.type(name)->concrete_shape();
  if (s.size() > out.size()) return false;
  if (!types.constant(name) && out.size() == 4 && s.size() != 4) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    int64_t d = s[s.size() - 1 - i], o = out[out.size() - 1 - i];
    if (d != o && d != 1) return false;
  }
  return true;
}

Result<QAddParams> qadd_params(const Node& node, const TypeLookup& types) {
  QAddParams p;
  if (node.num_inputs() < 7 || node.outputs.size() != 1) return unsupported("inputs");
  const ValueType *at = types.type(node.inputs[kA]), *bt = types.type(node.inputs[kB]),
                  *ct = types.type(node.outputs[0]);
  if (!at || !bt || !ct || !at->fully_known() || !bt->fully_known() || !ct->fully_known())
    return unsupported("static types");
  if (types.constant(node.inputs[kA]) && types.constant(node.inputs[kB])) return unsupported("two constants");
  Shape c = ct->concrete_shape();
  if (c.size() > 4 || !operand_fits(types, node.inputs[kA], c) || !operand_fits(types, node.inputs[kB], c))
    return unsupported("broadcasting");
  if (!const_quant(types, node.inputs[kAScale], node.inputs[kAZp], at->dtype, &p.a) ||
      !const_quant(types, node.inputs[kBScale], node.inputs[kBZp], bt->dtype, &p.b) ||
      !const_quant(types, node.inputs[kCScale], node.has_input(kCZp) ? node.inputs[kCZp] : "", ct->dtype, &p.c))
    return unsupported("quantization parameters");
  for (float s : {p.a.scale / p.c.scale, p.b.scale / p.c.scale})
    if (!(s >= 0x1.0p-10f) || !(s < 0x1.0p+8f)) return unsupported("scale ratio out of range");
  return p;
}

bool supports_qadd(const Node& node, const TypeLookup& types) { return qadd_params(node, types).is_ok(); }

// A computed operand, or a constant one as a static int8 tensor of rank `rank`.
Result<uint32_t> operand(XnnpackBuilder& b, const std::string& name, const QuantParams& q, size_t rank) {
  const Tensor* t = b.constant(name);
  if (!t) return b.quantized_value(name, q);
  Shape shape = t->shape();
  while (shape.size() < rank) shape.insert(shape.begin(), 1);
  const uint8_t* p = static_cast<const uint8_t*>(t->raw());
  std::vector<uint8_t> data(p, p + t->numel());
  if (shape.size() == 4) data = nchw_to_nhwc(data, shape);
  if (q.dtype == DType::kUInt8)
    for (uint8_t& v : data) v ^= 0x80;
  const int32_t zp = q.dtype == DType::kUInt8 ? q.zero_point - 128 : q.zero_point;
  return b.static_quantized(xnn_datatype_qint8, zp, q.scale, XnnpackBuilder::xnn_dims(shape), std::move(data));
}

Status define_qadd(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(QAddParams p, qadd_params(node, b.types()));
  const size_t rank = static_shape(b.types(), node.outputs[0]).size();
  EW_ASSIGN_OR_RETURN(uint32_t a, operand(b, node.inputs[kA], p.a, rank));
  EW_ASSIGN_OR_RETURN(uint32_t bb, operand(b, node.inputs[kB], p.b, rank));
  EW_ASSIGN_OR_RETURN(uint32_t c, b.quantized_output(node.outputs[0], p.c));
  const float inf = std::numeric_limits<float>::infinity();
  xnn_status st = xnn_define_add2(b.subgraph(), -inf, inf, a, bb, c, 0);
  if (st != xnn_status_success) return xnn_error(st, "quantized add " + node.label());
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "QLinearAdd", .domain = "com.microsoft", .supports = supports_qadd,
                             .define = define_qadd);

}  // namespace ew
