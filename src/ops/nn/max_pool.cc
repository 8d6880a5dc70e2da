// MaxPool: window maximum with optional Indices (flat offsets into X, row- or
// column-major per storage_order), dilations, pads/auto_pad and ceil_mode.
#include <limits>

#include "ops/nn/node_status.h"
#include "ops/nn/pool_window.h"

namespace ew {
namespace {

Status infer_max_pool(InferContext& ctx) {
  DType t = ctx.input_type(0).dtype;
  if (t == DType::kBool) return ctx.error("unsupported type bool");
  int64_t order = ctx.node().attr_int("storage_order", 0);
  if (order != 0 && order != 1) return ctx.error("storage_order must be 0 or 1");
  return infer_pool(ctx, ctx.opset() >= 10);
}

// Converts a row-major in-plane offset to column-major order for storage_order 1.
int64_t column_major(int64_t off, const Window3& w) {
  int64_t d = off / (w.in[1] * w.in[2]), h = off / w.in[2] % w.in[1], x = off % w.in[2];
  return d + w.in[0] * (h + w.in[1] * x);
}

template <typename T>
void max_pool(const Tensor& x, const Window3& w, bool column_order, Tensor& y, Tensor* indices) {
  using C = compute_t<T>;
  const T* in = x.data<T>();
  T* out = y.data<T>();
  int64_t* idx = indices ? indices->data<int64_t>() : nullptr;
  const int64_t plane_in = w.in[0] * w.in[1] * w.in[2];
  const int64_t plane_out = w.out[0] * w.out[1] * w.out[2];
  for_each_window(w, x.dim(0) * x.dim(1), [&](int64_t p, int64_t o, const int64_t* offs, int64_t n, int64_t) {
    const T* src = in + p * plane_in;
    C best = std::numeric_limits<C>::lowest();
    int64_t arg = 0;
    for (int64_t i = 0; i < n; ++i) {
      C v = C(src[offs[i]]);
      if (v > best || i == 0) { best = v; arg = offs[i]; }
    }
    out[p * plane_out + o] = T(best);
    if (idx) idx[p * plane_out + o] = p * plane_in + (column_order ? column_major(arg, w) : arg);
  });
}

Status run_max_pool(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_NODE_ASSIGN_OR_RETURN(ctx, Window3 w, pool_window(ctx.node(), x, ctx.opset() >= 10));
  bool column_order = ctx.node().attr_int("storage_order", 0) == 1;
  Tensor* indices = ctx.has_output(1) ? &ctx.output(1) : nullptr;
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    max_pool<typename decltype(tag)::type>(x, w, column_order, ctx.output(0), indices);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "MaxPool", .infer = infer_max_pool, .run = run_max_pool);

}  // namespace ew
