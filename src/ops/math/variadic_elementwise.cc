// Min, Max, Sum, Mean: variadic elementwise reductions over 1..N inputs with
// multidirectional broadcasting. Min/Max propagate NaN like numpy.
#include <cmath>
#include <type_traits>

#include "ops/math/elementwise.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

template <DTypePredicate Ok>
Status infer_variadic(InferContext& ctx) {
  if (ctx.num_inputs() < 1) return ctx.error("expects at least 1 input");
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is missing");
    EW_RETURN_IF_ERROR(check_input_dtype(ctx, i, Ok, "another type"));
  }
  EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  return infer_broadcast(ctx);
}

// out = fold(f, inputs), each input broadcast to out's shape; then out = finish(out).
template <typename T, typename F>
void fold_inputs(KernelContext& ctx, F f) {
  Tensor& out = ctx.output(0);
  T* po = out.data<T>();
  const Tensor& first = ctx.input(0);
  const T* p0 = first.data<T>();
  broadcast_for_each<1>(out.shape(), {&first.shape()},
                        [&](int64_t o, const std::array<int64_t, 1>& in) { po[o] = p0[in[0]]; });
  for (int k = 1; k < ctx.num_inputs(); ++k) binary_broadcast<T, T>(out, ctx.input(k), out, f);
}

template <typename F>
Status run_fold(KernelContext& ctx, F f) {
  for (int k = 1; k < ctx.num_inputs(); ++k)
    if (ctx.input(k).dtype() != ctx.input(0).dtype()) return ctx.error("input types differ");
  DType t = ctx.input(0).dtype();
  bool ok = visit_numeric(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    fold_inputs<T>(ctx, [&](T x, T y) { return T(f(C(x), C(y))); });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, t);
}

template <typename C>
bool either_nan(C x, C y) {
  if constexpr (std::is_floating_point_v<C>) return std::isnan(x) || std::isnan(y);
  else return false;
}

Status run_min(KernelContext& ctx) {
  return run_fold(ctx, [](auto x, auto y) { return either_nan(x, y) ? x + y : (y < x ? y : x); });
}
Status run_max(KernelContext& ctx) {
  return run_fold(ctx, [](auto x, auto y) { return either_nan(x, y) ? x + y : (y > x ? y : x); });
}
Status run_sum(KernelContext& ctx) { return run_fold(ctx, [](auto x, auto y) { return wrapping_add(x, y); }); }

Status run_mean(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(run_sum(ctx));
  Tensor& out = ctx.output(0);
  const int n = ctx.num_inputs();
  visit_float(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(out, out, [&](T v) { return T(C(v) / C(n)); });
  });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Min", .since_version = 6, .infer = infer_variadic<is_numeric>, .run = run_min);
EW_REGISTER_OP(.op_type = "Max", .since_version = 6, .infer = infer_variadic<is_numeric>, .run = run_max);
EW_REGISTER_OP(.op_type = "Sum", .since_version = 6, .infer = infer_variadic<is_float>, .run = run_sum);
EW_REGISTER_OP(.op_type = "Mean", .since_version = 6, .infer = infer_variadic<is_float>, .run = run_mean);

}  // namespace ew
