// AveragePool: window mean; pads count toward the divisor only with count_include_pad.
#include "ops/nn/node_status.h"
#include "ops/nn/pool_window.h"

namespace ew {
namespace {

Status infer_average_pool(InferContext& ctx) {
  if (!is_float(ctx.input_type(0).dtype))
    return ctx.error(std::string("unsupported type ") + dtype_name(ctx.input_type(0).dtype));
  int64_t include = ctx.node().attr_int("count_include_pad", 0);
  if (include != 0 && include != 1) return ctx.error("count_include_pad must be 0 or 1");
  return infer_pool(ctx, ctx.opset() >= 10);
}

template <typename T>
void average_pool(const Tensor& x, const Window3& w, bool include_pad, Tensor& y) {
  using C = compute_t<T>;
  const T* in = x.data<T>();
  T* out = y.data<T>();
  const int64_t plane_in = w.in[0] * w.in[1] * w.in[2];
  const int64_t plane_out = w.out[0] * w.out[1] * w.out[2];
  for_each_window(w, x.dim(0) * x.dim(1), [&](int64_t p, int64_t o, const int64_t* offs, int64_t n, int64_t padded) {
    const T* src = in + p * plane_in;
    C sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += C(src[offs[i]]);
    int64_t count = include_pad ? padded : n;
    out[p * plane_out + o] = T(count > 0 ? sum / C(count) : C(0));
  });
}

Status run_average_pool(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_NODE_ASSIGN_OR_RETURN(ctx, Window3 w, pool_window(ctx.node(), x, ctx.opset() >= 10));
  bool include_pad = ctx.node().attr_int("count_include_pad", 0) == 1;
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    average_pool<typename decltype(tag)::type>(x, w, include_pad, ctx.output(0));
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "AveragePool", .infer = infer_average_pool, .run = run_average_pool);

}  // namespace ew
