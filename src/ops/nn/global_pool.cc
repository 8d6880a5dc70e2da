// GlobalAveragePool, GlobalMaxPool, GlobalLpPool: one reduction over all
// spatial axes per (n, c) plane; output [N, C, 1, ...].
#include <algorithm>
#include <cmath>

#include "ops/op.h"

namespace ew {
namespace {

Status infer_global_pool(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  if (!is_float(x.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype));
  if (ctx.node().op_type == "GlobalLpPool" && ctx.node().attr_int("p", 2) < 1) return ctx.error("p must be >= 1");
  if (!x.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  if (x.dims.size() < 3) return ctx.error("X must have rank >= 3");
  std::vector<Dim> out(x.dims.size(), Dim(1));
  out[0] = x.dims[0];
  out[1] = x.dims[1];
  ctx.set_output(0, x.dtype, out);
  return Status::ok();
}

// Reduces each plane of x with reduce(const C* begin, n) -> C.
template <typename T, typename Reduce>
void reduce_planes(const Tensor& x, Tensor& y, Reduce reduce) {
  using C = compute_t<T>;
  const int64_t planes = x.dim(0) * x.dim(1);
  const int64_t size = planes > 0 ? x.numel() / planes : 0;
  std::vector<C> buf(static_cast<size_t>(size));
  for (int64_t p = 0; p < planes; ++p) {
    const T* src = x.data<T>() + p * size;
    for (int64_t i = 0; i < size; ++i) buf[i] = C(src[i]);
    y.data<T>()[p] = T(reduce(buf.data(), size));
  }
}

template <typename Fn>
Status run_global(KernelContext& ctx, Fn fn) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_float(x.dtype(), [&](auto tag) { fn(tag, x, ctx.output(0)); });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

Status run_global_average(KernelContext& ctx) {
  return run_global(ctx, [](auto tag, const Tensor& x, Tensor& y) {
    using T = typename decltype(tag)::type;
    reduce_planes<T>(x, y, [](const auto* v, int64_t n) {
      std::remove_cv_t<std::remove_reference_t<decltype(*v)>> s = 0;
      for (int64_t i = 0; i < n; ++i) s += v[i];
      return n > 0 ? s / n : s;
    });
  });
}

Status run_global_max(KernelContext& ctx) {
  if (ctx.input(0).rank() >= 3 && ctx.input(0).numel() == 0 && ctx.output(0).numel() > 0)
    return ctx.error("GlobalMaxPool of an empty spatial extent");
  return run_global(ctx, [](auto tag, const Tensor& x, Tensor& y) {
    using T = typename decltype(tag)::type;
    reduce_planes<T>(x, y, [](const auto* v, int64_t n) { return *std::max_element(v, v + n); });
  });
}

Status run_global_lp(KernelContext& ctx) {
  const double p = static_cast<double>(ctx.node().attr_int("p", 2));
  return run_global(ctx, [p](auto tag, const Tensor& x, Tensor& y) {
    using T = typename decltype(tag)::type;
    reduce_planes<T>(x, y, [p](const auto* v, int64_t n) {
      double s = 0;
      for (int64_t i = 0; i < n; ++i) s += std::pow(std::abs(static_cast<double>(v[i])), p);
      return static_cast<compute_t<T>>(std::pow(s, 1.0 / p));
    });
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "GlobalAveragePool", .infer = infer_global_pool, .run = run_global_average);
EW_REGISTER_OP(.op_type = "GlobalMaxPool", .infer = infer_global_pool, .run = run_global_max);
EW_REGISTER_OP(.op_type = "GlobalLpPool", .infer = infer_global_pool, .run = run_global_lp);

}  // namespace ew
