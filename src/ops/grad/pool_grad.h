// Shared by MaxPoolGrad and AveragePoolGrad (OpType(dY, X) -> dX): the
// forward pooling window, from the forward node's attributes (kernel_shape,
// strides, pads, dilations, auto_pad, ceil_mode; the rule drops ceil_mode
// where the forward opset lacked it), resolved for X and checked against dY.
#pragma once

#include <algorithm>

#include "ops/grad/grad_util.h"
#include "ops/nn/pool_window.h"

namespace ew {

inline Status infer_pool_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  if (ctx.node().attr_ints("kernel_shape").empty()) return ctx.error("kernel_shape is required");
  return infer_like_input(ctx, 1);
}

// The window of the forward pool over X; dY must be [N, C, out...]. Zeroes dX.
inline Result<Window3> pool_grad_window(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  const Tensor &dy = ctx.input(0), &x = ctx.input(1);
  auto w = pool_window(ctx.node(), x, true);
  if (!w.is_ok()) return ctx.error(w.status().message());
  Shape out{x.dim(0), x.dim(1)};
  for (int64_t a = 5 - x.rank(); a < 3; ++a) out.push_back(w->out[a]);
  if (dy.shape() != out)
    return ctx.error("dY " + dy.describe() + " is not the pooled shape " + shape_to_string(out) + " of X " +
                     x.describe());
  Tensor& dx = ctx.output(0);
  if (dx.shape() != x.shape()) return ctx.error("dX was not allocated with X's shape");
  std::fill(dx.data<float>(), dx.data<float>() + dx.numel(), 0.0f);
  return *w;
}

}  // namespace ew
