// Shrink: y = x < -lambd ? x + bias : (x > lambd ? x - bias : 0).
#include "ops/math/elementwise.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

Status infer_shrink(InferContext& ctx) {
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_numeric, "a numeric type"));
  return infer_same_as_input(ctx);
}

Status run_shrink(KernelContext& ctx) {
  const double lambd = ctx.node().attr_float("lambd", 0.5f);
  const double bias = ctx.node().attr_float("bias", 0.0f);
  const Tensor& x = ctx.input(0);
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(x, ctx.output(0), [&](T v) {
      double d = static_cast<double>(C(v));
      double y = d < -lambd ? d + bias : (d > lambd ? d - bias : 0.0);
      return T(convert_to<C>(y));
    });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "Shrink", .since_version = 9, .infer = infer_shrink, .run = run_shrink);

}  // namespace ew
