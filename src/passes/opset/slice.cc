// Slice across opset 10, where starts, ends and axes moved from attributes to
// inputs and steps appeared. Going up the attributes become int64 constants;
// going down the inputs must be constants and every step 1.
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status slice_attributes_to_inputs(AdapterContext& c) {
  if (!c.node.has_attr("starts") || !c.node.has_attr("ends")) return c.fail("Slice-1 needs 'starts' and 'ends'");
  const std::string id = c.node_id();
  c.node.inputs.resize(1);
  c.node.inputs.push_back(c.add_constant(id + "_starts", int64_vector(c.node.attr_ints("starts"))));
  c.node.inputs.push_back(c.add_constant(id + "_ends", int64_vector(c.node.attr_ints("ends"))));
  if (c.node.has_attr("axes")) c.node.inputs.push_back(c.add_constant(id + "_axes", int64_vector(c.node.attr_ints("axes"))));
  c.node.attributes.erase("starts");
  c.node.attributes.erase("ends");
  c.node.attributes.erase("axes");
  c.note("starts/ends/axes attributes -> inputs");
  return Status::ok();
}

Status slice_inputs_to_attributes(AdapterContext& c) {
  EW_ASSIGN_OR_RETURN(const Tensor* starts, c.constant_input(1, "starts"));
  EW_ASSIGN_OR_RETURN(const Tensor* ends, c.constant_input(2, "ends"));
  EW_ASSIGN_OR_RETURN(const Tensor* axes, c.constant_input(3, "axes"));
  EW_ASSIGN_OR_RETURN(const Tensor* steps, c.constant_input(4, "steps"));
  if (!starts || !ends) return c.fail("Slice-10 needs starts and ends");
  if (steps)
    for (int64_t i = 0; i < steps->numel(); ++i)
      if (steps->get_int64(i) != 1) return c.fail("steps other than 1 need opset 10");
  c.node.attributes["starts"] = ints_attr(starts->to_int64_vector());
  c.node.attributes["ends"] = ints_attr(ends->to_int64_vector());
  if (axes) c.node.attributes["axes"] = ints_attr(axes->to_int64_vector());
  for (int i = c.node.num_inputs() - 1; i >= 1; --i) c.erase_input(i);
  c.note("starts/ends/axes inputs -> attributes");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kSliceAdapters = {
    {"Slice", 10, slice_attributes_to_inputs, slice_inputs_to_attributes},
};

}  // namespace ew::opset
