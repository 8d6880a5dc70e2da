// Integer-list attributes that became int64 inputs at opset 13:
//   Squeeze, Unsqueeze   axes (optional for Squeeze, required for Unsqueeze)
//   ReduceSum            axes (optional; the other reductions wait for 18)
//   Split                split (optional)
// Going down the inputs must be constants. ReduceSum-13's
// noop_with_empty_axes=1 with no axes (an identity) has no opset-11 form.
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

const char* list_name(const Node& n) { return n.op_type == "Split" ? "split" : "axes"; }

Status list_to_input(AdapterContext& c) {
  const char* name = list_name(c.node);
  if (!c.node.has_attr(name)) {
    if (c.node.op_type == "Unsqueeze") return c.fail("Unsqueeze-11 needs attribute 'axes'");
    return Status::ok();
  }
  c.node.inputs.resize(1);
  c.node.inputs.push_back(c.add_constant(c.node_id() + "_" + name, int64_vector(c.node.attr_ints(name))));
  c.node.attributes.erase(name);
  c.note(std::string(name) + " attribute -> input");
  return Status::ok();
}

Status list_to_attribute(AdapterContext& c) {
  const char* name = list_name(c.node);
  EW_ASSIGN_OR_RETURN(const Tensor* v, c.constant_input(1, name));
  if (c.node.op_type == "ReduceSum" && c.node.attr_int("noop_with_empty_axes", 0) != 0) {
    if (!v || v->numel() == 0) return c.fail("noop_with_empty_axes=1 without axes needs opset 13");
    c.node.attributes.erase("noop_with_empty_axes");
  }
  if (!v) return Status::ok();
  if (v->numel() == 0 && c.node.op_type == "Split") return c.fail("an empty split list is not valid before opset 13");
  if (v->numel() > 0) c.node.attributes[name] = ints_attr(v->to_int64_vector());  // empty: every axis
  c.erase_input(1);
  c.note(std::string(name) + " input -> attribute");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kAxesInputAdapters = {
    {"Squeeze", 13, list_to_input, list_to_attribute},
    {"Unsqueeze", 13, list_to_input, list_to_attribute},
    {"ReduceSum", 13, list_to_input, list_to_attribute},
    {"Split", 13, list_to_input, list_to_attribute},
};

}  // namespace ew::opset
