// Constant: its value comes from exactly one attribute: value (a tensor),
// value_float(s) or value_int(s). String forms are unsupported (Edgewise holds
// no string tensors). The value is recorded at inference so it folds.
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

template <typename Ctx>
Result<Tensor> constant_value(const Ctx& ctx) {
  const Node& n = ctx.node();
  int count = 0;
  for (const char* k : {"value", "value_float", "value_floats", "value_int", "value_ints", "value_string",
                        "value_strings", "sparse_value"})
    count += n.has_attr(k) ? 1 : 0;
  if (count != 1) return ctx.error("exactly one value attribute is required, got " + std::to_string(count));
  if (const Tensor* t = n.attr_tensor("value")) return *t;
  const Attribute* a = nullptr;
  if ((a = n.attr("value_float")) && a->kind == Attribute::Kind::kFloat) return Tensor::scalar<float>(a->f);
  if ((a = n.attr("value_int")) && a->kind == Attribute::Kind::kInt) return Tensor::scalar<int64_t>(a->i);
  if ((a = n.attr("value_floats")) && a->kind == Attribute::Kind::kFloats)
    return Tensor::from_vector<float>({static_cast<int64_t>(a->floats.size())}, a->floats);
  if ((a = n.attr("value_ints")) && a->kind == Attribute::Kind::kInts)
    return Tensor::from_vector<int64_t>({static_cast<int64_t>(a->ints.size())}, a->ints);
  if (n.has_attr("value_string") || n.has_attr("value_strings"))
    return unsupported("node " + n.label() + ": string constants are not supported");
  return ctx.error("the value attribute has the wrong kind");
}

Status run_constant(KernelContext& ctx) {
  EW_ASSIGN_OR_RETURN(Tensor t, constant_value(ctx));
  ctx.set_output(0, std::move(t));
  return Status::ok();
}

Status infer_constant(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 0));
  EW_ASSIGN_OR_RETURN(Tensor t, constant_value(ctx));
  ctx.set_output(0, t.dtype(), t.shape());
  ctx.set_output_value(0, std::move(t));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Constant", .infer = infer_constant, .run = run_constant);

}  // namespace ew
