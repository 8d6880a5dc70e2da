// Abs, Neg, Sign, Reciprocal, Sqrt, Exp, Log, Erf: elementwise unary maps.
// Integer Abs/Neg wrap (|INT_MIN| == INT_MIN) instead of overflowing.
#include <cmath>
#include <type_traits>

#include "ops/math/elementwise.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

Status run_abs(KernelContext& ctx) {
  return run_unary_numeric(ctx, [](auto, auto v) {
    using C = decltype(v);
    if constexpr (std::is_unsigned_v<C>) return v;
    else return v < C(0) ? wrapping_neg(v) : v;
  });
}

Status run_neg(KernelContext& ctx) {
  return run_unary_numeric(ctx, [](auto, auto v) { return wrapping_neg(v); });
}

Status run_sign(KernelContext& ctx) {
  return run_unary_numeric(ctx, [](auto, auto v) {
    using C = decltype(v);
    return v > C(0) ? C(1) : v < C(0) ? C(-1) : v;  // keeps 0 and NaN
  });
}

Status run_reciprocal(KernelContext& ctx) {
  return run_unary_float(ctx, [](auto v) { return decltype(v)(1) / v; });
}
Status run_sqrt(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::sqrt(v); }); }
Status run_exp(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::exp(v); }); }
Status run_log(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::log(v); }); }

Status run_erf(KernelContext& ctx) {
  return run_unary_numeric(ctx, [](auto, auto v) {
    using C = decltype(v);
    if constexpr (std::is_floating_point_v<C>) return std::erf(v);
    else return static_cast<C>(std::erf(static_cast<double>(v)));  // -1, 0 or 1
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "Abs", .since_version = 6, .infer = infer_unary<is_numeric>, .run = run_abs);
EW_REGISTER_OP(.op_type = "Neg", .since_version = 6, .infer = infer_unary<is_signed_numeric>, .run = run_neg);
EW_REGISTER_OP(.op_type = "Sign", .since_version = 9, .infer = infer_unary<is_numeric>, .run = run_sign);
EW_REGISTER_OP(.op_type = "Reciprocal", .since_version = 6, .infer = infer_unary<is_float>, .run = run_reciprocal);
EW_REGISTER_OP(.op_type = "Sqrt", .since_version = 6, .infer = infer_unary<is_float>, .run = run_sqrt);
EW_REGISTER_OP(.op_type = "Exp", .since_version = 6, .infer = infer_unary<is_float>, .run = run_exp);
EW_REGISTER_OP(.op_type = "Log", .since_version = 6, .infer = infer_unary<is_float>, .run = run_log);
EW_REGISTER_OP(.op_type = "Erf", .since_version = 9, .infer = infer_unary<is_numeric>, .run = run_erf);

}  // namespace ew
