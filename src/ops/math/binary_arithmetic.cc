// Add, Sub, Mul, Div: one family, one kernel template; only the scalar function differs.
// Integer arithmetic wraps (two's complement) instead of overflowing; integer
// division truncates toward zero and INT_MIN / -1 wraps to INT_MIN.
#include <cmath>
#include <type_traits>

#include "ops/broadcast.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

Status infer_arith(InferContext& ctx) {
  if (ctx.input_type(0).dtype != ctx.input_type(1).dtype && ctx.input_type(1).dtype != DType::kUndefined &&
      ctx.input_type(0).dtype != DType::kUndefined)
    return ctx.error(std::string("input types differ: ") + dtype_name(ctx.input_type(0).dtype) + " and " +
                     dtype_name(ctx.input_type(1).dtype));
  return infer_broadcast(ctx);
}

template <typename F>
Status run_arith(KernelContext& ctx, F f) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  Tensor& out = ctx.output(0);
  bool ok = visit_numeric(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    binary_broadcast<T, T>(a, b, out, [&](T x, T y) { return T(f(C(x), C(y))); });
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(a.dtype()));
}

Status run_add(KernelContext& ctx) { return run_arith(ctx, [](auto x, auto y) { return wrapping_add(x, y); }); }
Status run_sub(KernelContext& ctx) { return run_arith(ctx, [](auto x, auto y) { return wrapping_sub(x, y); }); }
Status run_mul(KernelContext& ctx) { return run_arith(ctx, [](auto x, auto y) { return wrapping_mul(x, y); }); }

template <typename C>
C divide(C x, C y) {
  if constexpr (std::is_integral_v<C> && std::is_signed_v<C>) {
    if (y == C(-1)) return wrapping_neg(x);  // INT_MIN / -1 traps in hardware
  }
  return static_cast<C>(x / y);
}

Status run_div(KernelContext& ctx) {
  if (is_integer(ctx.input(1).dtype())) {
    const Tensor& b = ctx.input(1);
    for (int64_t i = 0; i < b.numel(); ++i)
      if (b.get_int64(i) == 0) return ctx.error("integer division by zero");
  }
  return run_arith(ctx, [](auto x, auto y) { return divide(x, y); });
}

}  // namespace

EW_REGISTER_OP(.op_type = "Add", .infer = infer_arith, .run = run_add);
EW_REGISTER_OP(.op_type = "Sub", .infer = infer_arith, .run = run_sub);
EW_REGISTER_OP(.op_type = "Mul", .infer = infer_arith, .run = run_mul);
EW_REGISTER_OP(.op_type = "Div", .infer = infer_arith, .run = run_div);

}  // namespace ew
