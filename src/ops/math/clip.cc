// Clip: y = min(max(x, lo), hi). Before opset 11 lo/hi are float attributes;
// from 11 they are optional scalar inputs of x's type. lo > hi gives hi everywhere.
#include <limits>

#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_clip(InferContext& ctx) {
  if (ctx.num_inputs() < 1 || ctx.num_inputs() > 3) return ctx.error("expects 1 to 3 inputs");
  if (ctx.opset() < 11) {
    if (ctx.num_inputs() != 1) return ctx.error("takes min/max as attributes before opset 11");
    EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_float, "a float type"));
  }
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_numeric, "a numeric type"));
  EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  for (int i = 1; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    const ValueType& t = ctx.input_type(i);
    if (t.fully_known() && !(t.dims.empty() || (t.dims.size() == 1 && t.dims[0].value == 1)))
      return ctx.error(std::string(i == 1 ? "min" : "max") + " must be a scalar, got " + t.to_string());
  }
  return infer_same_as_input(ctx);
}

// Reads bound input i (a one-element tensor of T) or returns `fallback` when absent.
template <typename T>
Result<T> bound(const KernelContext& ctx, int i, T fallback) {
  if (!ctx.has_input(i)) return fallback;
  const Tensor& t = ctx.input(i);
  if (t.numel() != 1 || t.dtype() != dtype_v<T>)
    return ctx.error(std::string(i == 1 ? "min" : "max") + " must be a scalar of the input's type");
  return t.data<T>()[0];
}

template <typename T>
Status clip_typed(KernelContext& ctx) {
  using C = compute_t<T>;
  C lo = std::numeric_limits<C>::lowest(), hi = std::numeric_limits<C>::max();
  if (ctx.opset() < 11) {
    lo = C(ctx.node().attr_float("min", std::numeric_limits<float>::lowest()));
    hi = C(ctx.node().attr_float("max", std::numeric_limits<float>::max()));
  } else {
    EW_ASSIGN_OR_RETURN(T lo_t, bound<T>(ctx, 1, T(lo)));
    EW_ASSIGN_OR_RETURN(T hi_t, bound<T>(ctx, 2, T(hi)));
    lo = C(lo_t);
    hi = C(hi_t);
  }
  unary_map<T, T>(ctx.input(0), ctx.output(0), [&](T v) {
    C c = C(v);
    if (c < lo) c = lo;
    if (c > hi) c = hi;
    return T(c);
  });
  return Status::ok();
}

Status run_clip(KernelContext& ctx) {
  Status st;
  bool ok = visit_numeric(ctx.input(0).dtype(), [&](auto tag) { st = clip_typed<typename decltype(tag)::type>(ctx); });
  return ok ? st : unsupported_dtype(ctx, ctx.input(0).dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "Clip", .since_version = 6, .infer = infer_clip, .run = run_clip);

}  // namespace ew
