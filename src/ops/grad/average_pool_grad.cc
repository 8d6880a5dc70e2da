// AveragePoolGrad(dY, X) -> dX: each output gradient spread evenly over the
// input positions of its window, divided by the forward divisor (the window
// size counting pads with count_include_pad = 1, else the positions inside
// X). X gives only the shape. See pool_grad.h for the other attributes.
#include "ops/grad/grad_domain.h"
#include "ops/grad/pool_grad.h"

namespace ew {
namespace {

Status run_average_pool_grad(KernelContext& ctx) {
  const int64_t include = ctx.node().attr_int("count_include_pad", 0);
  if (include != 0 && include != 1) return ctx.error("count_include_pad must be 0 or 1");
  EW_ASSIGN_OR_RETURN(Window3 w, pool_grad_window(ctx));
  const float* dy = ctx.input(0).data<float>();
  float* dx = ctx.output(0).data<float>();
  const int64_t plane_in = w.in[0] * w.in[1] * w.in[2], plane_out = w.out[0] * w.out[1] * w.out[2];
  const int64_t planes = ctx.input(1).dim(0) * ctx.input(1).dim(1);
  for_each_window(w, planes, [&](int64_t p, int64_t o, const int64_t* offs, int64_t n, int64_t padded) {
    const int64_t count = include ? padded : n;
    if (count <= 0) return;
    const float g = dy[p * plane_out + o] / static_cast<float>(count);
    float* dst = dx + p * plane_in;
    for (int64_t i = 0; i < n; ++i) dst[offs[i]] += g;
  });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "AveragePoolGrad", .domain = kGradDomain, .infer = infer_pool_grad,
               .run = run_average_pool_grad);

}  // namespace ew
