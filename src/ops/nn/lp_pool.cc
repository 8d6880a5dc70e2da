// LpPool: (sum over the window of |x|^p)^(1/p); pads contribute zero.
#include <cmath>

#include "ops/nn/node_status.h"
#include "ops/nn/pool_window.h"

namespace ew {
namespace {

Status infer_lp_pool(InferContext& ctx) {
  if (!is_float(ctx.input_type(0).dtype))
    return ctx.error(std::string("unsupported type ") + dtype_name(ctx.input_type(0).dtype));
  if (ctx.node().attr_int("p", 2) < 1) return ctx.error("p must be >= 1");
  return infer_pool(ctx, ctx.opset() >= 18);
}

template <typename T>
void lp_pool(const Tensor& x, const Window3& w, int64_t p_norm, Tensor& y) {
  using C = compute_t<T>;
  const T* in = x.data<T>();
  T* out = y.data<T>();
  const int64_t plane_in = w.in[0] * w.in[1] * w.in[2];
  const int64_t plane_out = w.out[0] * w.out[1] * w.out[2];
  const C p = C(p_norm);
  for_each_window(w, x.dim(0) * x.dim(1), [&](int64_t plane, int64_t o, const int64_t* offs, int64_t n, int64_t) {
    const T* src = in + plane * plane_in;
    C sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      C a = std::abs(C(src[offs[i]]));
      sum += p_norm == 1 ? a : p_norm == 2 ? a * a : std::pow(a, p);
    }
    out[plane * plane_out + o] = T(p_norm == 1 ? sum : p_norm == 2 ? std::sqrt(sum) : std::pow(sum, C(1) / p));
  });
}

Status run_lp_pool(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_NODE_ASSIGN_OR_RETURN(ctx, Window3 w, pool_window(ctx.node(), x, ctx.opset() >= 18));
  int64_t p = ctx.node().attr_int("p", 2);
  bool ok = visit_float(x.dtype(), [&](auto tag) { lp_pool<typename decltype(tag)::type>(x, w, p, ctx.output(0)); });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "LpPool", .infer = infer_lp_pool, .run = run_lp_pool);

}  // namespace ew
