// SoftmaxCrossEntropy(logits [N, C], labels int [N], weights? [C]) ->
// (loss scalar, log_prob [N, C]): the mean cross-entropy of softmax(logits),
// as PyTorch's CrossEntropyLoss defines it with `label_smoothing` ε and class
// weights w:
//   l_i  = (1-ε) w_{y_i} (-log p_{i,y_i}) + (ε/C) Σ_c w_c (-log p_{i,c})
//   loss = Σ_i l_i / Σ_i w_{y_i}
// log_prob is kept for the backward (SoftmaxCrossEntropyGrad).
#include <cmath>

#include "ops/grad/cross_entropy.h"
#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_sce(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  if (!ctx.has_input(1)) return ctx.error("missing labels (input 1)");
  const ValueType& t = ctx.input_type(0);
  if (t.has_shape && t.dims.size() != 2) return ctx.error("logits must be [N, C], got rank " + std::to_string(t.dims.size()));
  ctx.set_output(0, DType::kFloat32, Shape{});
  if (ctx.has_output(1)) ctx.set_output(1, t);
  return Status::ok();
}

Status run_sce(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  const Tensor& z = ctx.input(0);
  if (z.rank() != 2) return ctx.error("logits must be [N, C], got " + z.describe());
  const int64_t n = z.dim(0), c = z.dim(1);
  if (c == 0) return ctx.error("logits have no classes: " + z.describe());
  std::vector<int64_t> labels;
  std::vector<float> w;
  EW_RETURN_IF_ERROR(cross_entropy_labels(ctx, ctx.input(1), n, c, 2, labels, w));
  const double eps = ctx.node().attr_float("label_smoothing", 0.0f);
  Tensor scratch;
  float* logp = nullptr;
  if (ctx.has_output(1)) {
    logp = ctx.output(1).data<float>();
  } else {
    EW_ASSIGN_OR_RETURN(scratch, Tensor::create(DType::kFloat32, z.shape()));
    logp = scratch.data<float>();
  }
  double w_sum = 0, w_all = 0, total = 0;
  for (float v : w) w_all += v;
  for (int64_t i = 0; i < n; ++i) {
    const float* row = z.data<float>() + i * c;
    float* lp = logp + i * c;
    float mx = row[0];
    for (int64_t k = 1; k < c; ++k) mx = std::max(mx, row[k]);
    double s = 0;
    for (int64_t k = 0; k < c; ++k) s += std::exp(static_cast<double>(row[k] - mx));
    const float lse = mx + static_cast<float>(std::log(s));
    double smooth = 0;
    for (int64_t k = 0; k < c; ++k) {
      lp[k] = row[k] - lse;
      smooth += w[static_cast<size_t>(k)] * -static_cast<double>(lp[k]);
    }
    const int64_t y = labels[static_cast<size_t>(i)];
    const double wy = w[static_cast<size_t>(y)];
    total += (1 - eps) * wy * -static_cast<double>(lp[y]) + eps / static_cast<double>(c) * smooth;
    w_sum += wy;
  }
  ctx.output(0).data<float>()[0] = w_sum > 0 ? static_cast<float>(total / w_sum) : 0.0f;
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "SoftmaxCrossEntropy", .domain = kGradDomain, .infer = infer_sce, .run = run_sce);

}  // namespace ew
