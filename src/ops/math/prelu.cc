// PRelu: y = x < 0 ? slope * x : x, with slope broadcast to x's shape (unidirectional).
#include "ops/math/elementwise.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

Status infer_prelu(InferContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.error("expects 2 inputs (X, slope)");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_numeric, "a numeric type"));
  EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  const ValueType& x = ctx.input_type(0);
  const ValueType& slope = ctx.input_type(1);
  if (x.has_shape && slope.has_shape) {
    if (slope.dims.size() > x.dims.size()) return ctx.error("slope has a higher rank than X");
    auto dims = broadcast_dims(x.dims, slope.dims);
    if (!dims.is_ok()) return ctx.error("slope does not broadcast to X: " + dims.status().message());
    if (x.fully_known() && slope.fully_known() && !(ValueType{x.dtype, true, *dims}.concrete_shape() == x.concrete_shape()))
      return ctx.error("slope " + slope.to_string() + " does not broadcast to X " + x.to_string());
  }
  ctx.set_output(0, x);
  return Status::ok();
}

Status run_prelu(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& slope = ctx.input(1);
  if (x.dtype() != slope.dtype()) return ctx.error("input types differ");
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    binary_broadcast<T, T>(x, slope, ctx.output(0), [](T v, T s) {
      return C(v) < C(0) ? T(wrapping_mul(C(s), C(v))) : v;
    });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "PRelu", .since_version = 7, .infer = infer_prelu, .run = run_prelu);

}  // namespace ew
