// Squeeze: drops size-1 dims (the listed axes, or all of them). Axes are an
// attribute before opset 13 and an optional input from 13.
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_squeeze(KernelContext& ctx) {
  if (!ctx.output(0).defined()) return ctx.error("output shape was not inferred");
  EW_ASSIGN_OR_RETURN(Tensor t, ctx.input(0).reshaped(ctx.output(0).shape()));
  ctx.set_output(0, std::move(t));
  return Status::ok();
}

Status infer_squeeze(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_ASSIGN_OR_RETURN(IntsArg axes, ints_arg(ctx, "axes", 1, 13));
  if (!in.has_shape || axes.state == IntsArg::State::kUnknown) {
    ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(in.dims.size());
  std::vector<bool> drop(rank, false);
  if (axes.absent()) {
    for (int64_t i = 0; i < rank; ++i) {
      if (!in.dims[i].known()) {  // cannot tell whether it is 1
        ctx.set_output_dtype_only(0, in.dtype);
        return Status::ok();
      }
      drop[i] = in.dims[i].value == 1;
    }
  } else {
    EW_ASSIGN_OR_RETURN(auto norm, normalize_axes(ctx, axes.values, rank));
    for (int64_t a : norm) {
      if (in.dims[a].known() && in.dims[a].value != 1)
        return ctx.error("cannot squeeze axis " + std::to_string(a) + " of size " + in.dims[a].to_string());
      drop[a] = true;
    }
  }
  std::vector<Dim> out;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i]) out.push_back(in.dims[i]);
  ctx.set_output(0, in.dtype, out);
  fold_small(ctx, run_squeeze);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Squeeze", .infer = infer_squeeze, .run = run_squeeze);

}  // namespace ew
