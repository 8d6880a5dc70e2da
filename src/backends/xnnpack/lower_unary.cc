// Elementwise ops of one input: layout does not matter to them.
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

bool supports_unary(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || !node.has_input(0) || node.outputs.size() != 1) return false;
  if (node.op_type == "Clip" || node.op_type == "Relu") {
    float lo, hi;
    return clamp_bounds(node, types, &lo, &hi);
  }
  return true;
}

Status define_unary(XnnpackBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(uint32_t in, b.value(node.inputs[0]));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  xnn_subgraph_t g = b.subgraph();
  const std::string& op = node.op_type;
  xnn_status st;
  if (op == "Relu" || op == "Clip") {
    float lo, hi;
    clamp_bounds(node, b.types(), &lo, &hi);
    st = xnn_define_clamp(g, lo, hi, in, out, 0);
  } else if (op == "LeakyRelu") {
    st = xnn_define_leaky_relu(g, node.attr_float("alpha", 0.01f), in, out, 0);
  } else if (op == "Elu") {
    st = xnn_define_elu(g, node.attr_float("alpha", 1.0f), in, out, 0);
  } else if (op == "Sigmoid") {
    st = xnn_define_sigmoid(g, in, out, 0);
  } else if (op == "HardSwish") {
    st = xnn_define_hardswish(g, in, out, 0);
  } else if (op == "Abs") {
    st = xnn_define_abs(g, in, out, 0);
  } else if (op == "Neg") {
    st = xnn_define_negate(g, in, out, 0);
  } else if (op == "Floor") {
    st = xnn_define_floor(g, in, out, 0);
  } else if (op == "Ceil") {
    st = xnn_define_ceiling(g, in, out, 0);
  } else if (op == "Sqrt") {
    st = xnn_define_square_root(g, in, out, 0);
  } else {
    return unsupported(op);
  }
  if (st != xnn_status_success) return xnn_error(st, node.label());
  return Status::ok();
}

}  // namespace

#define EW_UNARY(OP) \
  EW_REGISTER_XNNPACK_LOWERING(.op_type = OP, .domain = "", .supports = supports_unary, .define = define_unary)
EW_UNARY("Relu");
EW_UNARY("Clip");
EW_UNARY("LeakyRelu");
EW_UNARY("Elu");
EW_UNARY("Sigmoid");
EW_UNARY("HardSwish");
EW_UNARY("Abs");
EW_UNARY("Neg");
EW_UNARY("Floor");
EW_UNARY("Ceil");
EW_UNARY("Sqrt");

}  // namespace ew
