// Expand: broadcasts the input to the broadcast of its shape and `shape`.
#include <algorithm>

#include "ops/broadcast.h"
#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_expand(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  Tensor& out = ctx.output(0);
  if (!out.defined()) return ctx.error("output shape was not inferred");
  if (!copy_strided(x, out, broadcast_strides(x.shape(), out.shape()), 0)) return ctx.error("unsupported type");
  return Status::ok();
}

Status infer_expand(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& in = ctx.input_type(0);
  if (!ctx.has_input(1)) return ctx.error("Expand needs a shape input");
  EW_RETURN_IF_ERROR(require_integer(ctx, 1, "shape"));
  const Tensor* shape = ctx.input_value(1);
  if (!shape || !in.has_shape) {
    const ValueType& st = ctx.input_type(1);
    if (in.has_shape && st.has_shape && st.dims.size() == 1 && st.dims[0].known())
      ctx.set_output(0, in.dtype, unknown_dims(std::max<int64_t>(st.dims[0].value, in.dims.size())));
    else
      ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  if (shape->rank() != 1) return ctx.error("shape must be 1-D, got " + shape->describe());
  std::vector<Dim> target;
  for (int64_t d : shape->to_int64_vector()) {
    if (d < 0) return ctx.error("shape has negative dim " + std::to_string(d));
    target.emplace_back(d);
  }
  auto dims = broadcast_dims(in.dims, target);
  if (!dims.is_ok()) return ctx.error(dims.status().message());
  ctx.set_output(0, in.dtype, *dims);
  fold_small(ctx, run_expand);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Expand", .infer = infer_expand, .run = run_expand);

}  // namespace ew
