// Range: start, start + delta, ... while below limit (above, for negative
// delta): max(ceil((limit - start) / delta), 0) elements.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

// Element count from scalar start/limit/delta of one dtype.
template <typename Ctx>
Result<int64_t> range_count(const Ctx& ctx, const Tensor& start, const Tensor& limit, const Tensor& delta) {
  for (const Tensor* t : {&start, &limit, &delta})
    if (t->numel() != 1 || t->dtype() != start.dtype())
      return ctx.error("start, limit and delta must be scalars of one type, got " + t->describe());
  int64_t n = 0;
  if (is_integer(start.dtype())) {
    const __int128 s = start.get_int64(0), l = limit.get_int64(0), d = delta.get_int64(0);
    if (d == 0) return ctx.error("delta must not be 0");
    const __int128 diff = l - s;
    __int128 q = diff / d;
    if (q * d != diff && ((diff > 0) == (d > 0))) ++q;  // ceil for a positive quotient
    n = q > 0 ? static_cast<int64_t>(std::min<__int128>(q, INT64_MAX)) : 0;
  } else {
    const double s = start.get_double(0), l = limit.get_double(0), d = delta.get_double(0);
    if (d == 0 || !std::isfinite(s) || !std::isfinite(l) || !std::isfinite(d))
      return ctx.error("delta must be non-zero and all arguments finite");
    const double q = std::ceil((l - s) / d);
    if (q > 9.0e18) return ctx.error("range is too long");
    n = q > 0 ? static_cast<int64_t>(q) : 0;
  }
  return n;
}

Status run_range(KernelContext& ctx) {
  const Tensor& start = ctx.input(0);
  const Tensor& delta = ctx.input(2);
  EW_ASSIGN_OR_RETURN(int64_t n, range_count(ctx, start, ctx.input(1), delta));
  Tensor& out = ctx.output(0);
  if (!out.defined() || out.numel() != n) return ctx.error("output shape was not inferred");
  bool ok = visit_numeric(start.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = std::conditional_t<std::is_floating_point_v<compute_t<T>>, compute_t<T>, int64_t>;
    const C s = static_cast<C>(start.data<T>()[0]), d = static_cast<C>(delta.data<T>()[0]);
    T* o = out.data<T>();
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(s + static_cast<C>(i) * d);
  });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_range(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 3));
  const DType t = ctx.input_type(0).dtype;
  if (t == DType::kBool) return ctx.error("Range does not take bool");
  const Tensor *s = ctx.input_value(0), *l = ctx.input_value(1), *d = ctx.input_value(2);
  if (!s || !l || !d) {
    ctx.set_output(0, t, unknown_dims(1));
    return Status::ok();
  }
  EW_ASSIGN_OR_RETURN(int64_t n, range_count(ctx, *s, *l, *d));
  ctx.set_output(0, t, Shape{n});
  fold_small(ctx, run_range);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Range", .since_version = 11, .infer = infer_range, .run = run_range);

}  // namespace ew
