// com.microsoft::QLinearGlobalAveragePool (channels_last = 0, 4-D) on
// XNNPACK's int8 global average pooling (uint8 values run as int8, see
// XnnpackBuilder).
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

enum Input { kX, kXScale, kXZp, kYScale, kYZp };

struct QPoolParams {
  QuantParams x, y;
};

Result<QPoolParams> qpool_params(const Node& node, const TypeLookup& types) {
  QPoolParams p;
  if (node.num_inputs() < 4 || node.outputs.size() != 1) return unsupported("inputs");
  if (node.attr_int("channels_last", 0) != 0) return unsupported("channels_last");
  const ValueType *xt = types.type(node.inputs[kX]), *yt = types.type(node.outputs[0]);
  if (!xt || !yt || !xt->fully_known() || !yt->fully_known()) return unsupported("static types");
  Shape x = xt->concrete_shape(), y = yt->concrete_shape();
  if (x.size() != 4 || y != Shape{x[0], x[1], 1, 1} || x[2] * x[3] == 0) return unsupported("shape");
  if (!const_quant(types, node.inputs[kXScale], node.inputs[kXZp], xt->dtype, &p.x) ||
      !const_quant(types, node.inputs[kYScale], node.has_input(kYZp) ? node.inputs[kYZp] : "", yt->dtype, &p.y))
    return unsupported("quantization parameters");
  float ratio = p.x.scale / p.y.scale;
  if (!(ratio >= 0x1.0p-8f) || !(ratio < 0x1.0p+8f)) return unsupported("scale ratio out of range");
  return p;
}

bool supports_qpool(const Node& node, const TypeLookup& types) { return qpool_params(node, types).is_ok(); }

Status define_qpool(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(QPoolParams p, qpool_params(node, b.types()));
  EW_ASSIGN_OR_RETURN(uint32_t x, b.quantized_value(node.inputs[kX], p.x));
  EW_ASSIGN_OR_RETURN(uint32_t y, b.quantized_output(node.outputs[0], p.y));
  const float inf = std::numeric_limits<float>::infinity();
  xnn_status st = xnn_define_global_average_pooling_2d(b.subgraph(), -inf, inf, x, y, 0);
  if (st != xnn_status_success) return xnn_error(st, "quantized global average pool " + node.label());
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "QLinearGlobalAveragePool", .domain = "com.microsoft",
                             .supports = supports_qpool, .define = define_qpool);

}  // namespace ew
