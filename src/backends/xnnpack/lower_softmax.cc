// Softmax over the last axis (XNNPACK normalizes the innermost dimension).
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

bool supports_softmax(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.outputs.size() != 1) return false;
  Shape s = static_shape(types, node.inputs[0]);
  int64_t rank = static_cast<int64_t>(s.size());
  if (rank < 1 || rank == 4) return false;
  // Without `axis` the opsets disagree (1 before 13, -1 after); for 2-D both mean the last axis.
  // With axis = rank-1 every opset normalizes the last axis.
  if (!node.has_attr("axis")) return rank == 2;
  int64_t axis = node.attr_int("axis", -1);
  if (axis < 0) axis += rank;
  return axis == rank - 1;
}

Status define_softmax(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[0]));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  xnn_status st = xnn_define_softmax(b.subgraph(), in, out, 0);
  if (st != xnn_status_success) return xnn_error(st, node.label());
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "Softmax", .domain = "", .supports = supports_softmax,
                             .define = define_softmax);

}  // namespace ew
