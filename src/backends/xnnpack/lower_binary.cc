// Elementwise ops of two inputs with NumPy broadcasting. Inside a partition a
// 4-D result is NHWC, so a non-constant operand must then be 4-D too (it is
// NHWC as well); constant operands are broadcast-aligned and re-laid out.
#include <limits>

#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

bool supports_binary(const Node& node, const TypeLookup& types) {
  if (!all_static_f32(node, types) || node.num_inputs() != 2 || !node.has_input(0) || !node.has_input(1)) return false;
  size_t rank = static_shape(types, node.outputs[0]).size();
  if (rank == 0) return false;
  for (int i = 0; i < 2; ++i) {
    bool constant = types.constant(node.inputs[i]) != nullptr;
    size_t r = static_shape(types, node.inputs[i]).size();
    if (!constant && rank == 4 && r != 4) return false;
  }
  return !(types.constant(node.inputs[0]) && types.constant(node.inputs[1]));
}

Result<uint32_t> operand(XnnpackBuilder& b, const std::string& name, int64_t rank) {
  if (const Tensor* c = b.constant(name)) return b.constant_operand(*c, rank);
  return b.value(name);
}

Status define_binary(XnnpackBuilder& b, const Node& node) {
  int64_t rank = static_cast<int64_t>(static_shape(b.types(), node.outputs[0]).size());
  EW_ASSIGN_OR_RETURN(uint32_t a, operand(b, node.inputs[0], rank));
  EW_ASSIGN_OR_RETURN(uint32_t c, operand(b, node.inputs[1], rank));
  EW_ASSIGN_OR_RETURN(uint32_t out, b.output(node.outputs[0]));
  xnn_subgraph_t g = b.subgraph();
  const std::string& op = node.op_type;
  xnn_status st = op == "Add"   ? xnn_define_add2(g, -kInf, kInf, a, c, out, 0)
                  : op == "Sub" ? xnn_define_subtract(g, -kInf, kInf, a, c, out, 0)
                  : op == "Mul" ? xnn_define_multiply2(g, -kInf, kInf, a, c, out, 0)
                  : op == "Div" ? xnn_define_divide(g, -kInf, kInf, a, c, out, 0)
                  : op == "Max" ? xnn_define_maximum2(g, a, c, out, 0)
                                : xnn_define_minimum2(g, a, c, out, 0);
  if (st != xnn_status_success) return xnn_error(st, node.label());
  return Status::ok();
}

}  // namespace

#define EW_BINARY(OP) \
  EW_REGISTER_XNNPACK_LOWERING(.op_type = OP, .domain = "", .supports = supports_binary, .define = define_binary)
EW_BINARY("Add");
EW_BINARY("Sub");
EW_BINARY("Mul");
EW_BINARY("Div");
EW_BINARY("Max");
EW_BINARY("Min");

}  // namespace ew
