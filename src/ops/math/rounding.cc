// Ceil, Floor and Round (halves to even, as numpy.round): float-only unary maps.
#include <cmath>

#include "ops/math/elementwise.h"

namespace ew {
namespace {

// Round half to even without depending on the floating-point rounding mode.
template <typename C>
C round_half_even(C v) {
  C r = std::round(v);  // halves away from zero
  if (std::fabs(v - std::trunc(v)) == C(0.5)) r = C(2) * std::round(v / C(2));
  return r;
}

Status run_ceil(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::ceil(v); }); }
Status run_floor(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::floor(v); }); }
Status run_round(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return round_half_even(v); }); }

}  // namespace

EW_REGISTER_OP(.op_type = "Ceil", .since_version = 6, .infer = infer_unary<is_float>, .run = run_ceil);
EW_REGISTER_OP(.op_type = "Floor", .since_version = 6, .infer = infer_unary<is_float>, .run = run_floor);
EW_REGISTER_OP(.op_type = "Round", .since_version = 11, .infer = infer_unary<is_float>, .run = run_round);

}  // namespace ew
