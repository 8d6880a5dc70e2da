// ConstantOfShape: a tensor of the shape given by the input, filled with the
// single element of the `value` attribute (default float32 0).
#include <cstring>

#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// The fill value: the attribute tensor or float32 0.
template <typename Ctx>
Result<Tensor> fill_value(const Ctx& ctx) {
  const Tensor* v = ctx.node().attr_tensor("value");
  if (!v) return Tensor::scalar<float>(0.0f);
  if (v->numel() != 1) return ctx.error("value must hold exactly one element, got " + v->describe());
  return *v;
}

Status run_constant_of_shape(KernelContext& ctx) {
  EW_ASSIGN_OR_RETURN(Tensor value, fill_value(ctx));
  Tensor& out = ctx.output(0);
  if (!out.defined()) return ctx.error("output shape was not inferred");
  const size_t elem = dtype_size(value.dtype());
  auto* dst = static_cast<uint8_t*>(out.raw());
  for (int64_t i = 0; i < out.numel(); ++i) std::memcpy(dst + i * elem, value.raw(), elem);
  return Status::ok();
}

Status infer_constant_of_shape(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  EW_ASSIGN_OR_RETURN(Tensor value, fill_value(ctx));
  EW_RETURN_IF_ERROR(require_integer(ctx, 0, "shape"));
  const Tensor* shape = ctx.input_value(0);
  if (!shape) {
    const ValueType& st = ctx.input_type(0);
    if (st.has_shape && st.dims.size() == 1 && st.dims[0].known())
      ctx.set_output(0, value.dtype(), unknown_dims(st.dims[0].value));
    else
      ctx.set_output_dtype_only(0, value.dtype());
    return Status::ok();
  }
  if (shape->rank() > 1) return ctx.error("shape must be 1-D, got " + shape->describe());
  Shape dims = shape->to_int64_vector();
  for (int64_t d : dims)
    if (d < 0) return ctx.error("shape has negative dim " + std::to_string(d));
  ctx.set_output(0, value.dtype(), dims);
  fold_small(ctx, run_constant_of_shape);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ConstantOfShape", .infer = infer_constant_of_shape, .run = run_constant_of_shape);

}  // namespace ew
