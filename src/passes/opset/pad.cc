// Pad across opset 11, where the pads and value attributes became the pads
// (int64) and constant_value (the data's type) inputs. Going down both must be
// constants. (Pad 18's axes input is beyond opset 17.)
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status pad_attributes_to_inputs(AdapterContext& c) {
  if (!c.node.has_attr("pads")) return c.fail("Pad-2 needs attribute 'pads'");
  c.node.inputs.resize(1);
  c.node.inputs.push_back(c.add_constant(c.node_id() + "_pads", int64_vector(c.node.attr_ints("pads"))));
  if (c.node.has_attr("value")) {
    const DType t = c.dtype(c.node.inputs[0]);
    if (t == DType::kUndefined) return c.fail("the data's type is unknown, and Pad-11's constant_value must have it");
    EW_ASSIGN_OR_RETURN(Tensor v, scalar_tensor(t, c.node.attr_float("value", 0)));
    c.node.inputs.push_back(c.add_constant(c.node_id() + "_value", std::move(v)));
  }
  c.node.attributes.erase("pads");
  c.node.attributes.erase("value");
  c.note("pads/value attributes -> inputs");
  return Status::ok();
}

Status pad_inputs_to_attributes(AdapterContext& c) {
  EW_ASSIGN_OR_RETURN(const Tensor* pads, c.constant_input(1, "pads"));
  EW_ASSIGN_OR_RETURN(const Tensor* value, c.constant_input(2, "constant_value"));
  if (!pads) return c.fail("Pad-11 needs a pads input");
  if (value && value->numel() != 1) return c.fail("constant_value must be a scalar");
  c.node.attributes["pads"] = ints_attr(pads->to_int64_vector());
  if (value) c.node.attributes["value"] = Attribute::make_float(static_cast<float>(value->get_double(0)));
  for (int i = c.node.num_inputs() - 1; i >= 1; --i) c.erase_input(i);
  c.note("pads/constant_value inputs -> attributes");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kPadAdapters = {
    {"Pad", 11, pad_attributes_to_inputs, pad_inputs_to_attributes},
};

}  // namespace ew::opset
