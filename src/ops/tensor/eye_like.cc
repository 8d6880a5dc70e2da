// EyeLike: a 2-D tensor shaped like the input with ones on diagonal k and
// zeros elsewhere; the dtype attribute (default: the input's) picks the type.
#include <algorithm>

#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

template <typename Ctx>
Result<DType> eye_dtype(const Ctx& ctx, DType input) {
  if (!ctx.node().has_attr("dtype")) return input;
  auto t = dtype_from_onnx(static_cast<int>(ctx.node().attr_int("dtype", 0)));
  if (!t.is_ok()) return ctx.error("unsupported dtype attribute: " + t.status().message());
  return *t;
}

Status run_eye_like(KernelContext& ctx) {
  Tensor& out = ctx.output(0);
  const int64_t k = ctx.node().attr_int("k", 0);
  const int64_t rows = out.dim(0), cols = out.dim(1);
  if (k >= cols || k <= -rows) return Status::ok();  // no diagonal inside: all zeros
  bool ok = visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = out.data<T>();
    for (int64_t i = std::max<int64_t>(0, -k); i < rows && i + k < cols; ++i)
      o[i * cols + i + k] = static_cast<T>(compute_t<T>(1));
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_eye_like(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_ASSIGN_OR_RETURN(DType t, eye_dtype(ctx, in.dtype));
  if (in.has_shape && in.dims.size() != 2) return ctx.error("input must be 2-D");
  if (!in.has_shape) ctx.set_output(0, t, unknown_dims(2));
  else ctx.set_output(0, t, in.dims);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "EyeLike", .since_version = 9, .infer = infer_eye_like, .run = run_eye_like);

}  // namespace ew
