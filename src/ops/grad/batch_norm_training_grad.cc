// BatchNormTrainingGrad(dY, X, scale, saved_mean, saved_inv_std) -> (dX, dscale, dB):
// the backward of BatchNormTraining, per channel over its m = N · spatial values,
// with x̂ = (X − mean) · inv_std:
//   dB = Σ dY,  dscale = Σ dY · x̂,  dX = scale · inv_std / m · (m · dY − dB − x̂ · dscale).
// Outputs 1 and 2 are optional.
#include <algorithm>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_batch_norm_training_grad(InferContext& ctx) {
  for (int i = 0; i < 5; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const ValueType& x = ctx.input_type(1);
  if (x.has_shape && x.dims.size() < 2) return ctx.error("X must have rank >= 2 ([N, C, ...])");
  EW_RETURN_IF_ERROR(infer_like_input(ctx, 1));
  ValueType param = ctx.input_type(2);  // dscale and dB: scale's type
  param.dtype = DType::kFloat32;
  for (int i = 1; i < 3; ++i)
    if (ctx.has_output(i)) ctx.set_output(i, param);
  return Status::ok();
}

Status run_batch_norm_training_grad(KernelContext& ctx) {
  for (int i = 0; i < 5; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const Tensor &dyt = ctx.input(0), &x = ctx.input(1);
  if (x.rank() < 2) return ctx.error("X must have rank >= 2 ([N, C, ...]), got " + x.describe());
  if (dyt.shape() != x.shape()) return ctx.error("dY " + dyt.describe() + " and X " + x.describe() + " differ");
  const int64_t N = x.dim(0), C = x.dim(1), inner = x.numel() / std::max<int64_t>(1, N * C), m = N * inner;
  for (int i = 2; i < 5; ++i)
    if (ctx.input(i).rank() != 1 || ctx.input(i).dim(0) != C)
      return ctx.error("input " + std::to_string(i) + " must have shape [" + std::to_string(C) + "], got " +
                       ctx.input(i).describe());
  const float *dy = dyt.data<float>(), *in = x.data<float>(), *scale = ctx.input(2).data<float>();
  const float *mean = ctx.input(3).data<float>(), *inv = ctx.input(4).data<float>();
  float* dx = ctx.output(0).data<float>();
  for (int64_t c = 0; c < C; ++c) {
    double db = 0, ds = 0;
    for (int64_t n = 0; n < N; ++n) {
      const int64_t base = (n * C + c) * inner;
      for (int64_t i = 0; i < inner; ++i) {
        db += dy[base + i];
        ds += double(dy[base + i]) * (in[base + i] - mean[c]) * inv[c];
      }
    }
    if (ctx.has_output(1)) ctx.output(1).data<float>()[c] = static_cast<float>(ds);
    if (ctx.has_output(2)) ctx.output(2).data<float>()[c] = static_cast<float>(db);
    if (m == 0) continue;
    const float k = static_cast<float>(scale[c] * inv[c] / double(m));
    const float mb = static_cast<float>(db), ms = static_cast<float>(ds);
    for (int64_t n = 0; n < N; ++n) {
      const int64_t base = (n * C + c) * inner;
      for (int64_t i = 0; i < inner; ++i) {
        const float xhat = (in[base + i] - mean[c]) * inv[c];
        dx[base + i] = k * (float(m) * dy[base + i] - mb - xhat * ms);
      }
    }
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "BatchNormTrainingGrad", .domain = kGradDomain, .infer = infer_batch_norm_training_grad,
               .run = run_batch_norm_training_grad);

}  // namespace ew
