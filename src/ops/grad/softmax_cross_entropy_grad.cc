// SoftmaxCrossEntropyGrad(dloss scalar, log_prob [N, C], labels [N], weights? [C])
// -> dlogits [N, C], the gradient of SoftmaxCrossEntropy (same attributes):
//   dz_ic = dloss / W * ((1-ε) w_{y_i} (p_ic - [c = y_i]) + (ε/C) ((Σ_k w_k) p_ic - w_c)),
// with W = Σ_i w_{y_i}.
#include <cmath>

#include "ops/grad/cross_entropy.h"
#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_sce_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  return infer_like_input(ctx, 1);
}

Status run_sce_grad(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  const Tensor &dl = ctx.input(0), &lp = ctx.input(1);
  if (dl.numel() != 1) return ctx.error("dloss must be a scalar, got " + dl.describe());
  if (lp.rank() != 2) return ctx.error("log_prob must be [N, C], got " + lp.describe());
  const int64_t n = lp.dim(0), c = lp.dim(1);
  std::vector<int64_t> labels;
  std::vector<float> w;
  EW_RETURN_IF_ERROR(cross_entropy_labels(ctx, ctx.input(2), n, c, 3, labels, w));
  const double eps = ctx.node().attr_float("label_smoothing", 0.0f);
  double w_sum = 0, w_all = 0;
  for (int64_t i = 0; i < n; ++i) w_sum += w[static_cast<size_t>(labels[static_cast<size_t>(i)])];
  for (float v : w) w_all += v;
  float* o = ctx.output(0).data<float>();
  const double scale = w_sum > 0 ? dl.data<float>()[0] / w_sum : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t y = labels[static_cast<size_t>(i)];
    const double wy = w[static_cast<size_t>(y)];
    for (int64_t k = 0; k < c; ++k) {
      const double p = std::exp(static_cast<double>(lp.data<float>()[i * c + k]));
      const double hard = (1 - eps) * wy * (p - (k == y ? 1.0 : 0.0));
      const double soft = eps / static_cast<double>(c) * (w_all * p - w[static_cast<size_t>(k)]);
      o[i * c + k] = static_cast<float>(scale * (hard + soft));
    }
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "SoftmaxCrossEntropyGrad", .domain = kGradDomain, .infer = infer_sce_grad,
               .run = run_sce_grad);

}  // namespace ew
