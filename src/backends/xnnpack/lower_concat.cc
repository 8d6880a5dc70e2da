// Concat. This XNNPACK has no concatenation node, so each input is padded
// with zeros to the full output extent along the axis and the padded inputs
// are added: exact (x + 0 == x) and it keeps the values NHWC inside the
// partition, which is far cheaper than leaving it for a layout round trip.
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// The axis in XNNPACK's layout (NHWC for 4-D values).
int64_t xnn_axis(int64_t axis, size_t rank) {
  if (rank != 4) return axis;
  static const int64_t kToNhwc[4] = {0, 3, 1, 2};
  return kToNhwc[axis];
}

bool supports_concat(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.num_inputs() < 2 || node.num_inputs() > 8) return false;
  for (const auto& in : node.inputs)
    if (in.empty() || types.constant(in)) return false;
  int64_t rank = static_cast<int64_t>(static_shape(types, node.outputs[0]).size());
  int64_t axis = node.attr_int("axis", 0);
  return rank >= 1 && axis >= -rank && axis < rank;
}

Status define_concat(XnnpackBuilder& b, const Node& node) {
  Shape out_shape = static_shape(b.types(), node.outputs[0]);
  size_t rank = out_shape.size();
  int64_t axis = node.attr_int("axis", 0);
  if (axis < 0) axis += static_cast<int64_t>(rank);
  size_t xaxis = static_cast<size_t>(xnn_axis(axis, rank));
  std::vector<size_t> out_dims = XnnpackBuilder::xnn_dims(out_shape);
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  size_t before = 0;
  uint32_t sum = XNN_INVALID_VALUE_ID;
  for (int i = 0; i < node.num_inputs(); ++i) {
    size_t extent = static_cast<size_t>(static_shape(b.types(), node.inputs[i])[axis]);
    std::vector<size_t> pre(rank, 0), post(rank, 0);
    pre[xaxis] = before;
    post[xaxis] = out_dims[xaxis] - before - extent;
    before += extent;
    EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[i]));
    EW_ASSIGN_OR_RETURN(uint32_t padded, b.internal(out_dims));
    xnn_status st = xnn_define_static_constant_pad(b.subgraph(), pre.data(), post.data(), 0.0f, in, padded, 0);
    if (st != xnn_status_success) return xnn_error(st, node.label() + " padding");
    if (i == 0) {
      sum = padded;
      continue;
    }
    bool last = i + 1 == node.num_inputs();
    uint32_t next = out;
    if (!last) {
      EW_ASSIGN_OR_RETURN(next, b.internal(out_dims));
    }
    st = xnn_define_add2(b.subgraph(), -kInf, kInf, sum, padded, next, 0);
    if (st != xnn_status_success) return xnn_error(st, node.label() + " sum");
    sum = next;
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_XNNPACK_LOWERING(.op_type = "Concat", .domain = "", .supports = supports_concat, .define = define_concat);

}  // namespace ew
