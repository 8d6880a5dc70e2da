// MaxPoolGrad(dY, X) -> dX: each output gradient goes to the position of its
// window's maximum in X (the first one on ties, as MaxPool picks it); windows
// lying wholly in the padding pass nothing. See pool_grad.h for attributes.
#include "ops/grad/grad_domain.h"
#include "ops/grad/pool_grad.h"

namespace ew {
namespace {

Status run_max_pool_grad(KernelContext& ctx) {
  EW_ASSIGN_OR_RETURN(Window3 w, pool_grad_window(ctx));
  const Tensor& x = ctx.input(1);
  const float* in = x.data<float>();
  const float* dy = ctx.input(0).data<float>();
  float* dx = ctx.output(0).data<float>();
  const int64_t plane_in = w.in[0] * w.in[1] * w.in[2], plane_out = w.out[0] * w.out[1] * w.out[2];
  for_each_window(w, x.dim(0) * x.dim(1), [&](int64_t p, int64_t o, const int64_t* offs, int64_t n, int64_t) {
    if (n == 0) return;
    const float* src = in + p * plane_in;
    float best = src[offs[0]];
    int64_t arg = offs[0];
    for (int64_t i = 1; i < n; ++i)
      if (src[offs[i]] > best) best = src[offs[i]], arg = offs[i];
    dx[p * plane_in + arg] += dy[p * plane_out + o];
  });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "MaxPoolGrad", .domain = kGradDomain, .infer = infer_pool_grad, .run = run_max_pool_grad);

}  // namespace ew
