// Flatten: 2-D view [prod(dims[:axis]), prod(dims[axis:])] of the same bytes.
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_flatten(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  int64_t axis = ctx.node().attr_int("axis", 1);
  if (axis < 0) axis += x.rank();
  if (axis < 0 || axis > x.rank()) return ctx.error("axis is out of range");
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= x.dim(i);
  int64_t inner = 1;
  for (int64_t i = axis; i < x.rank(); ++i) inner *= x.dim(i);
  EW_ASSIGN_OR_RETURN(Tensor t, x.reshaped({outer, inner}));
  ctx.set_output(0, std::move(t));
  return Status::ok();
}

Status infer_flatten(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  if (!in.has_shape) {
    ctx.set_output(0, in.dtype, unknown_dims(2));
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(in.dims.size());
  int64_t axis = ctx.node().attr_int("axis", 1);
  if (axis < -rank || axis > rank)
    return ctx.error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  if (axis < 0) axis += rank;
  auto outer = dims_numel(in.dims, 0, axis);
  auto inner = dims_numel(in.dims, axis);
  ctx.set_output(0, in.dtype, {outer ? Dim(*outer) : Dim{}, inner ? Dim(*inner) : Dim{}});
  fold_small(ctx, run_flatten);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Flatten", .infer = infer_flatten, .run = run_flatten);

}  // namespace ew
