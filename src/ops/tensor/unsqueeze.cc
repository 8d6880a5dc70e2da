// Unsqueeze: inserts size-1 dims at the given output positions. Axes are an
// attribute before opset 13 and a required input from 13.
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_unsqueeze(KernelContext& ctx) {
  if (!ctx.output(0).defined()) return ctx.error("output shape was not inferred");
  EW_ASSIGN_OR_RETURN(Tensor t, ctx.input(0).reshaped(ctx.output(0).shape()));
  ctx.set_output(0, std::move(t));
  return Status::ok();
}

Status infer_unsqueeze(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_ASSIGN_OR_RETURN(IntsArg axes, ints_arg(ctx, "axes", 1, 13));
  if (axes.absent()) return ctx.error("axes are required");
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  if (!axes.known()) {
    const ValueType& at = ctx.input_type(1);
    if (at.has_shape && at.dims.size() == 1 && at.dims[0].known())
      ctx.set_output(0, in.dtype, unknown_dims(in.dims.size() + at.dims[0].value));
    else
      ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  const int64_t out_rank = static_cast<int64_t>(in.dims.size() + axes.values.size());
  EW_ASSIGN_OR_RETURN(auto norm, normalize_axes(ctx, axes.values, out_rank));
  std::vector<bool> inserted(out_rank, false);
  for (int64_t a : norm) inserted[a] = true;
  std::vector<Dim> out;
  size_t next = 0;
  for (int64_t i = 0; i < out_rank; ++i) out.push_back(inserted[i] ? Dim(1) : in.dims[next++]);
  ctx.set_output(0, in.dtype, out);
  fold_small(ctx, run_unsqueeze);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Unsqueeze", .infer = infer_unsqueeze, .run = run_unsqueeze);

}  // namespace ew
