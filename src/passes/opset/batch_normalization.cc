// BatchNormalization across opsets 9, 14 and 15.
//   9   the spatial attribute is gone (spatial=1 is what remains). spatial=0
//       (per-activation statistics, parameters shaped C x D1 x ... x Dn) is
//       rewritten going up into the elementwise formula
//       (X - mean) / Sqrt(var + epsilon) * scale + B, which broadcasts the same way.
//   14  training_mode attribute; the training outputs changed (running
//       mean/var only). Only inference-mode nodes (one output) convert.
//   15  scale/B and mean/var may have types other than X's; going down they
//       must match X.
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

bool extra_outputs(const Node& n) {
  for (size_t i = 1; i < n.outputs.size(); ++i) if (!n.outputs[i].empty()) return true;
  return false;
}

Status spatial_removed(AdapterContext& c) {
  if (c.node.attr_int("spatial", 1) != 0) {
    c.node.attributes.erase("spatial");
    return Status::ok();
  }
  if (c.node.num_inputs() != 5) return c.fail("BatchNormalization needs 5 inputs");
  if (extra_outputs(c.node)) return c.fail("spatial=0 in training mode has no opset-9 form");
  const DType t = c.dtype(c.node.inputs[0]);
  if (t == DType::kUndefined) return c.fail("the input's type is unknown; spatial=0 is rewritten with its type");
  EW_ASSIGN_OR_RETURN(Tensor eps, scalar_tensor(t, c.node.attr_float("epsilon", 1e-5f)));
  const auto& in = c.node.inputs;
  const std::string centered = c.add_before("Sub", {in[0], in[3]});
  const std::string var_eps = c.add_before("Add", {in[4], c.add_constant(c.node_id() + "_epsilon", std::move(eps))});
  const std::string std_dev = c.add_before("Sqrt", {var_eps});
  const std::string normalized = c.add_before("Div", {centered, std_dev});
  const std::string scaled = c.add_before("Mul", {normalized, in[1]});
  c.add_after_into("Add", {scaled, in[2]}, c.node.outputs[0]);
  c.remove_node();
  c.note("spatial=0 -> elementwise formula (per-activation statistics)");
  return Status::ok();
}

Status training_mode_added(AdapterContext& c) {
  if (extra_outputs(c.node)) return c.fail("training outputs (mean, var, saved statistics) changed at opset 14; only inference nodes convert");
  return Status::ok();
}

Status training_mode_removed(AdapterContext& c) {
  if (c.node.attr_int("training_mode", 0) != 0 || extra_outputs(c.node))
    return c.fail("training_mode=1 needs opset 14; only inference nodes convert");
  c.node.attributes.erase("training_mode");
  return Status::ok();
}

Status mixed_types_removed(AdapterContext& c) {
  const DType t = c.dtype(c.node.inputs[0]);
  for (int i = 1; i < c.node.num_inputs(); ++i) {
    const DType p = c.dtype(c.node.inputs[i]);
    if (t != DType::kUndefined && p != DType::kUndefined && p != t)
      return c.fail("input '" + c.node.inputs[i] + "' is " + dtype_name(p) + " while X is " + dtype_name(t) +
                    "; mixed types need opset 15");
  }
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kBatchNormAdapters = {
    {"BatchNormalization", 9, spatial_removed, nullptr},
    {"BatchNormalization", 14, training_mode_added, training_mode_removed},
    {"BatchNormalization", 15, nullptr, mixed_types_removed},
};

}  // namespace ew::opset
