// Equal, Less, LessOrEqual, Greater, GreaterOrEqual: broadcasting comparisons
// with a bool output. 16-bit floats compare in float; NaN compares false.
#include "ops/math/elementwise.h"

namespace ew {
namespace {

template <DTypePredicate Ok>
Status infer_compare(InferContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.error("expects 2 inputs");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, Ok, "a numeric type"));
  EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  return infer_broadcast(ctx, DType::kBool);
}

template <typename F>
Status run_compare(KernelContext& ctx, F f) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (a.dtype() != b.dtype()) return ctx.error("input types differ");
  bool ok = visit_dtype(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    binary_broadcast<T, bool>(a, b, ctx.output(0), [&](T x, T y) { return f(C(x), C(y)); });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, a.dtype());
}

Status run_equal(KernelContext& ctx) { return run_compare(ctx, [](auto x, auto y) { return x == y; }); }
Status run_less(KernelContext& ctx) { return run_compare(ctx, [](auto x, auto y) { return x < y; }); }
Status run_less_equal(KernelContext& ctx) { return run_compare(ctx, [](auto x, auto y) { return x <= y; }); }
Status run_greater(KernelContext& ctx) { return run_compare(ctx, [](auto x, auto y) { return x > y; }); }
Status run_greater_equal(KernelContext& ctx) { return run_compare(ctx, [](auto x, auto y) { return x >= y; }); }

}  // namespace

EW_REGISTER_OP(.op_type = "Equal", .since_version = 7, .infer = infer_compare<is_any>, .run = run_equal);
EW_REGISTER_OP(.op_type = "Less", .since_version = 7, .infer = infer_compare<is_numeric>, .run = run_less);
EW_REGISTER_OP(.op_type = "LessOrEqual", .since_version = 12, .infer = infer_compare<is_numeric>,
               .run = run_less_equal);
EW_REGISTER_OP(.op_type = "Greater", .since_version = 7, .infer = infer_compare<is_numeric>, .run = run_greater);
EW_REGISTER_OP(.op_type = "GreaterOrEqual", .since_version = 12, .infer = infer_compare<is_numeric>,
               .run = run_greater_equal);

}  // namespace ew
