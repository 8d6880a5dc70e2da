// Reshape-like ops. A 4-D value is NHWC inside a partition, so a reshape may
// touch a 4-D shape only when its H and W are 1 (then NCHW and NHWC orders
// are the same bytes).
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

bool layout_neutral(const Shape& s) { return s.size() != 4 || (s[2] == 1 && s[3] == 1); }

bool supports_reshape(const Node& node, const TypeLookup& types) {
  if (!node.has_input(0) || node.outputs.size() != 1) return false;
  const ValueType* in = types.type(node.inputs[0]);
  const ValueType* out = types.type(node.outputs[0]);
  if (!in || !out || in->dtype != DType::kFloat32 || out->dtype != DType::kFloat32) return false;
  if (!in->fully_known() || !out->fully_known() || types.constant(node.inputs[0])) return false;
  for (int i = 1; i < node.num_inputs(); ++i)
    if (node.has_input(i) && !types.constant(node.inputs[i])) return false;
  Shape si = in->concrete_shape(), so = out->concrete_shape();
  return so.size() >= 1 && so.size() <= 6 && layout_neutral(si) && layout_neutral(so);
}

Status define_reshape(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[0]));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  std::vector<size_t> dims = XnnpackBuilder::xnn_dims(static_shape(b.types(), node.outputs[0]));
  xnn_status st = xnn_define_static_reshape(b.subgraph(), dims.size(), dims.data(), in, out, 0);
  if (st != xnn_status_success) return xnn_error(st, node.label());
  return Status::ok();
}

}  // namespace

#define EW_RESHAPE(OP) \
  EW_REGISTER_XNNPACK_LOWERING(.op_type = OP, .domain = "", .supports = supports_reshape, .define = define_reshape)
EW_RESHAPE("Reshape");
EW_RESHAPE("Flatten");
EW_RESHAPE("Squeeze");
EW_RESHAPE("Unsqueeze");

}  // namespace ew
