// Size: the input's element count as an int64 scalar (folds when known).
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_size(KernelContext& ctx) {
  EW_ASSIGN_OR_RETURN(Tensor* out, ctx.allocate_output(0, DType::kInt64, {}));
  out->data<int64_t>()[0] = ctx.input(0).numel();
  return Status::ok();
}

Status infer_size(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  ctx.set_output(0, DType::kInt64, Shape{});
  if (!in.has_shape) return Status::ok();
  auto n = dims_numel(in.dims);
  if (!n) return Status::ok();
  EW_ASSIGN_OR_RETURN(Tensor v, Tensor::scalar<int64_t>(*n));
  ctx.set_output_value(0, std::move(v));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Size", .infer = infer_size, .run = run_size);

}  // namespace ew
