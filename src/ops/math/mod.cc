// Mod: remainder with broadcasting. fmod=0 (integers only) takes the divisor's
// sign like Python's %; fmod=1 truncates like C fmod (dividend's sign).
#include <cmath>
#include <type_traits>

#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_mod(InferContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.error("expects 2 inputs");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_numeric, "a numeric type"));
  EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  int64_t fmod = ctx.node().attr_int("fmod", 0);
  if (fmod != 0 && fmod != 1) return ctx.error("fmod must be 0 or 1, got " + std::to_string(fmod));
  if (fmod == 0 && is_float(ctx.input_type(0).dtype)) return ctx.error("fmod must be 1 for float inputs");
  return infer_broadcast(ctx);
}

template <typename C>
C int_mod(C a, C b, bool fmod) {
  if constexpr (std::is_signed_v<C>) {
    if (b == C(-1)) return C(0);  // also avoids INT_MIN % -1
  }
  C r = static_cast<C>(a % b);
  if constexpr (std::is_signed_v<C>) {
    if (!fmod && r != 0 && ((r < 0) != (b < 0))) r = static_cast<C>(r + b);
  }
  return r;
}

Status check_no_zero_divisor(KernelContext& ctx, const Tensor& b) {
  if (!is_integer(b.dtype())) return Status::ok();
  for (int64_t i = 0; i < b.numel(); ++i)
    if (b.get_int64(i) == 0) return ctx.error("integer modulo by zero");
  return Status::ok();
}

Status run_mod(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (a.dtype() != b.dtype()) return ctx.error("input types differ");
  EW_RETURN_IF_ERROR(check_no_zero_divisor(ctx, b));
  const bool fmod = ctx.node().attr_int("fmod", 0) != 0;
  bool ok = visit_numeric(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    binary_broadcast<T, T>(a, b, ctx.output(0), [&](T x, T y) {
      if constexpr (std::is_floating_point_v<C>) return T(std::fmod(C(x), C(y)));
      else return int_mod<C>(x, y, fmod);
    });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, a.dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "Mod", .since_version = 10, .infer = infer_mod, .run = run_mod);

}  // namespace ew
