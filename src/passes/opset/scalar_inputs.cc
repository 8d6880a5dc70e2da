// Scalar attributes that became inputs:
//   TopK 10      k -> K (int64 [1])
//   Clip 11      min / max -> optional inputs of the input's type
//   Dropout 12   ratio -> optional input; training_mode input added (absent
//                means inference, the only mode before 12)
// and Dropout 10, where the mask output turned from the input's type to bool
// (a Cast keeps what readers of the mask see).
// Going down the inputs must be constants; Dropout's training_mode must be
// absent or a constant false.
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status topk_k_to_input(AdapterContext& c) {
  if (!c.node.has_attr("k")) return c.fail("TopK-1 needs attribute 'k'");
  c.set_input(1, c.add_constant(c.node_id() + "_k", int64_vector({c.node.attr_int("k", 0)})));
  c.node.attributes.erase("k");
  c.note("k attribute -> input");
  return Status::ok();
}

Status topk_k_to_attribute(AdapterContext& c) {
  EW_ASSIGN_OR_RETURN(const Tensor* k, c.constant_input(1, "K"));
  if (!k || k->numel() != 1) return c.fail("K must be a one-element constant");
  c.node.attributes["k"] = int_attr(k->get_int64(0));
  c.erase_input(1);
  c.note("K input -> attribute");
  return Status::ok();
}

Status clip_bounds_to_inputs(AdapterContext& c) {
  if (!c.node.has_attr("min") && !c.node.has_attr("max")) return Status::ok();
  const DType t = c.dtype(c.node.inputs[0]);
  if (t == DType::kUndefined) return c.fail("the input's type is unknown, and Clip-11 bounds must have it");
  for (const char* bound : {"min", "max"}) {
    if (!c.node.has_attr(bound)) continue;
    EW_ASSIGN_OR_RETURN(Tensor v, scalar_tensor(t, c.node.attr_float(bound, 0)));
    c.set_input(bound[1] == 'i' ? 1 : 2, c.add_constant(c.node_id() + "_" + bound, std::move(v)));
    c.node.attributes.erase(bound);
  }
  c.note("min/max attributes -> inputs");
  return Status::ok();
}

Status clip_bounds_to_attributes(AdapterContext& c) {
  EW_ASSIGN_OR_RETURN(const Tensor* lo, c.constant_input(1, "min"));
  EW_ASSIGN_OR_RETURN(const Tensor* hi, c.constant_input(2, "max"));
  if (!lo && !hi) return Status::ok();
  if ((lo && lo->numel() != 1) || (hi && hi->numel() != 1)) return c.fail("min and max must be scalars");
  if (lo) c.node.attributes["min"] = Attribute::make_float(static_cast<float>(lo->get_double(0)));
  if (hi) c.node.attributes["max"] = Attribute::make_float(static_cast<float>(hi->get_double(0)));
  for (int i = c.node.num_inputs() - 1; i >= 1; --i) c.erase_input(i);
  c.note("min/max inputs -> attributes");
  return Status::ok();
}

// The mask's readers keep the type they saw before the step.
Status cast_mask(AdapterContext& c, bool to_bool) {
  if (c.node.outputs.size() < 2 || c.node.outputs[1].empty()) return Status::ok();
  DType data = c.dtype(c.node.inputs[0]);
  if (!to_bool && data == DType::kUndefined) return c.fail("the input's type is unknown; the mask must keep it");
  const std::string mask = c.node.outputs[1];
  std::string raw = c.detach_output(1);
  c.add_after_into("Cast", {raw}, mask, {{"to", int_attr(static_cast<int64_t>(to_bool ? DType::kBool : data))}});
  c.note(to_bool ? "mask output cast back to bool" : "mask output (bool from opset 10) cast to the input's type");
  return Status::ok();
}

Status dropout_mask_up(AdapterContext& c) { return cast_mask(c, false); }
Status dropout_mask_down(AdapterContext& c) { return cast_mask(c, true); }

Status dropout_ratio_to_input(AdapterContext& c) {
  if (!c.node.has_attr("ratio")) return Status::ok();
  EW_ASSIGN_OR_RETURN(Tensor r, scalar_tensor(DType::kFloat32, c.node.attr_float("ratio", 0.5f)));
  c.set_input(1, c.add_constant(c.node_id() + "_ratio", std::move(r)));
  c.node.attributes.erase("ratio");
  c.note("ratio attribute -> input");
  return Status::ok();
}

Status dropout_ratio_to_attribute(AdapterContext& c) {
  EW_ASSIGN_OR_RETURN(const Tensor* ratio, c.constant_input(1, "ratio"));
  EW_ASSIGN_OR_RETURN(const Tensor* training, c.constant_input(2, "training_mode"));
  if (training && (training->numel() != 1 || training->get_double(0) != 0))
    return c.fail("training_mode needs opset 12 (before it Dropout only runs in inference mode)");
  if (ratio && ratio->numel() != 1) return c.fail("ratio must be a scalar");
  if (ratio) c.node.attributes["ratio"] = Attribute::make_float(static_cast<float>(ratio->get_double(0)));
  for (int i = c.node.num_inputs() - 1; i >= 1; --i) c.erase_input(i);
  c.node.attributes.erase("seed");  // only used in training mode
  c.note("ratio input -> attribute");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kScalarInputAdapters = {
    {"TopK", 10, topk_k_to_input, topk_k_to_attribute},
    {"Clip", 11, clip_bounds_to_inputs, clip_bounds_to_attributes},
    {"Dropout", 10, dropout_mask_up, dropout_mask_down},
    {"Dropout", 12, dropout_ratio_to_input, dropout_ratio_to_attribute},
};

}  // namespace ew::opset
