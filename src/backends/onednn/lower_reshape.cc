// Reshape, Flatten, Squeeze, Unsqueeze and Identity: the output is the
// input's plain bytes under the output's (static) shape, a view with no copy.
#include "backends/onednn/onednn_ops.h"

namespace ew {

namespace {

bool supports_reshape(const Node& node, const TypeLookup& types) {
  if (node.inputs.empty() || node.outputs.size() != 1) return false;
  const ValueType* x = types.type(node.inputs[0]);
  const ValueType* y = types.type(node.outputs[0]);
  if (!x || !y || !x->fully_known() || !y->fully_known() || x->dtype != y->dtype || x->dims.empty() ||
      x->dims.size() > 6 || y->dims.empty() || y->dims.size() > 6)
    return false;
  if (onednn_dtype(x->dtype) == dnnl::memory::data_type::undef) return false;
  for (size_t i = 1; i < node.inputs.size(); ++i)  // shape / axes inputs must be constants
    if (!node.inputs[i].empty() && !types.constant(node.inputs[i])) return false;
  return shape_numel(x->concrete_shape()).value_or(-1) == shape_numel(y->concrete_shape()).value_or(-2);
}

Status define_reshape(OnednnBuilder& b, const Node& node) {
  EW_ASSIGN_OR_RETURN(dnnl::memory plain, b.value_plain(node.inputs[0]));
  const ValueType& y = *b.type(node.outputs[0]);
  b.define_view(node.outputs[0], plain, plain_desc(y.concrete_shape(), y.dtype));
  return Status::ok();
}

}  // namespace

EW_REGISTER_ONEDNN_LOWERING(.op_type = "Reshape", .domain = "", .supports = supports_reshape, .define = define_reshape);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Flatten", .domain = "", .supports = supports_reshape, .define = define_reshape);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Squeeze", .domain = "", .supports = supports_reshape, .define = define_reshape);
EW_REGISTER_ONEDNN_LOWERING(.op_type = "Unsqueeze", .domain = "", .supports = supports_reshape,
                            .define = define_reshape);

}  // namespace ew
