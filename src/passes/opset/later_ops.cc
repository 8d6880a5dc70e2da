// Ops and forms that appeared between opsets 12 and 15, written going down
// with the ops that existed before:
//   Constant 12    value_float(s) / value_int(s) -> a value tensor
//   HardSwish 14   x * HardSigmoid(x; alpha 1/6, beta 0.5), its definition
//   CastLike 15    Cast to the (known) type of the second input
//   Shape 15       start/end -> Shape then Slice of the shape
#include <limits>

#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status constant_value_tensor(AdapterContext& c) {
  static const char* kForms[] = {"value_float", "value_floats", "value_int", "value_ints"};
  for (const char* form : kForms) {
    const Attribute* a = c.node.attr(form);
    if (!a) continue;
    Result<Tensor> t = a->kind == Attribute::Kind::kFloat   ? Tensor::scalar<float>(a->f)
                       : a->kind == Attribute::Kind::kInt   ? Tensor::scalar<int64_t>(a->i)
                       : a->kind == Attribute::Kind::kFloats ? Result<Tensor>(float_vector(a->floats))
                                                             : Result<Tensor>(int64_vector(a->ints));
    if (!t.is_ok()) return c.fail(t.status().message());
    c.node.attributes.erase(form);
    c.node.attributes["value"] = Attribute::make_tensor(std::move(t).value());
    c.note(std::string(form) + " -> value tensor");
    return Status::ok();
  }
  if (c.node.has_attr("value_string") || c.node.has_attr("value_strings")) return c.fail("string constants need opset 12");
  return Status::ok();
}

Status hard_swish_decompose(AdapterContext& c) {
  const std::string x = c.node.inputs.empty() ? "" : c.node.inputs[0];
  if (x.empty()) return c.fail("it has no input");
  const std::string gate = c.add_before(
      "HardSigmoid", {x}, {{"alpha", Attribute::make_float(1.0f / 6.0f)}, {"beta", Attribute::make_float(0.5f)}});
  c.add_after_into("Mul", {x, gate}, c.node.outputs[0]);
  c.remove_node();
  c.note("HardSwish -> x * HardSigmoid(x) (HardSwish needs opset 14)");
  return Status::ok();
}

Status cast_like_to_cast(AdapterContext& c) {
  if (c.node.num_inputs() != 2) return c.fail("CastLike takes two inputs");
  const DType to = c.dtype(c.node.inputs[1]);
  if (to == DType::kUndefined) return c.fail("the type of target_type is unknown, so no Cast can replace CastLike (opset 15)");
  c.erase_input(1);
  c.node.op_type = "Cast";
  c.node.attributes = {{"to", int_attr(static_cast<int64_t>(to))}};
  c.note("CastLike -> Cast (CastLike needs opset 15)");
  return Status::ok();
}

Status shape_range_to_slice(AdapterContext& c) {
  if (!c.node.has_attr("start") && !c.node.has_attr("end")) return Status::ok();
  const int64_t start = c.node.attr_int("start", 0);
  const int64_t end = c.node.attr_int("end", std::numeric_limits<int64_t>::max());
  c.node.attributes.erase("start");
  c.node.attributes.erase("end");
  const std::string out = c.node.outputs[0];
  const std::string full = c.detach_output(0);
  const std::string id = c.node_id();
  c.add_after_into("Slice",
                   {full, c.add_constant(id + "_start", int64_vector({start})), c.add_constant(id + "_end", int64_vector({end})),
                    c.add_constant(id + "_axes", int64_vector({0}))},
                   out);
  c.note("start/end -> Slice of the shape (needs opset 15)");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kLaterOpAdapters = {
    {"Constant", 12, nullptr, constant_value_tensor},
    {"HardSwish", 14, nullptr, hard_swish_decompose},
    {"CastLike", 15, nullptr, cast_like_to_cast},
    {"Shape", 15, nullptr, shape_range_to_slice},
};

}  // namespace ew::opset
