// BatchNormTraining(X, scale, B, running_mean, running_var)
//   -> (Y, running_mean_out, running_var_out, saved_mean, saved_inv_std)
// BatchNormalization in training form (the gradient builder rewrites it so):
// statistics of the batch per channel (dim 1) over N and the spatial dims,
//   Y = scale · (X − mean) · inv_std + B,  inv_std = 1 / sqrt(var + epsilon)
// with var the biased variance, and the running statistics updated with
// ONNX's momentum meaning and PyTorch's unbiased variance:
//   running_mean_out = momentum · running_mean + (1 − momentum) · mean
//   running_var_out  = momentum · running_var  + (1 − momentum) · var · m / (m − 1)
// (m values per channel; fewer than 2 is an error). saved_mean and
// saved_inv_std [C] feed BatchNormTrainingGrad. Attributes epsilon (1e-5),
// momentum (0.9). Outputs 1 to 4 are optional.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_batch_norm_training(InferContext& ctx) {
  for (int i = 0; i < 5; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const ValueType& x = ctx.input_type(0);
  Dim c;
  if (x.has_shape) {
    if (x.dims.size() < 2) return ctx.error("X must have rank >= 2 ([N, C, ...])");
    c = x.dims[1];
  }
  for (int i = 1; i < 5; ++i) {
    const ValueType& p = ctx.input_type(i);
    if (!p.has_shape) continue;
    if (p.dims.size() != 1) return ctx.error("scale, B, running_mean and running_var must be 1-D of size C");
    if (c.known() && p.dims[0].known() && p.dims[0].value != c.value)
      return ctx.error("input " + std::to_string(i) + " has size " + std::to_string(p.dims[0].value) +
                       ", expected C = " + std::to_string(c.value));
    if (!c.known()) c = p.dims[0];
  }
  EW_RETURN_IF_ERROR(infer_like_input(ctx, 0));
  for (int i = 1; i < 5; ++i)
    if (ctx.has_output(i)) ctx.set_output(i, DType::kFloat32, std::vector<Dim>{c});
  return Status::ok();
}

Status run_batch_norm_training(KernelContext& ctx) {
  for (int i = 0; i < 5; ++i) EW_RETURN_IF_ERROR(require_f32_input(ctx, i));
  const Tensor& x = ctx.input(0);
  if (x.rank() < 2) return ctx.error("X must have rank >= 2 ([N, C, ...]), got " + x.describe());
  const int64_t N = x.dim(0), C = x.dim(1), inner = x.numel() / std::max<int64_t>(1, N * C);
  for (int i = 1; i < 5; ++i)
    if (ctx.input(i).rank() != 1 || ctx.input(i).dim(0) != C)
      return ctx.error("input " + std::to_string(i) + " must have shape [" + std::to_string(C) + "], got " +
                       ctx.input(i).describe());
  const int64_t m = N * inner;
  if (C > 0 && m < 2) return ctx.error("training needs more than one value per channel, got X " + x.describe());
  const double eps = ctx.node().attr_float("epsilon", 1e-5f), momentum = ctx.node().attr_float("momentum", 0.9f);
  const float *in = x.data<float>(), *scale = ctx.input(1).data<float>(), *bias = ctx.input(2).data<float>();
  float* y = ctx.output(0).data<float>();
  for (int64_t c = 0; c < C; ++c) {
    double sum = 0, sq = 0;
    for (int64_t n = 0; n < N; ++n) {
      const float* p = in + (n * C + c) * inner;
      for (int64_t i = 0; i < inner; ++i) sum += p[i];
    }
    const double mean = sum / double(m);
    for (int64_t n = 0; n < N; ++n) {
      const float* p = in + (n * C + c) * inner;
      for (int64_t i = 0; i < inner; ++i) sq += (p[i] - mean) * (p[i] - mean);
    }
    const double var = sq / double(m), inv = 1.0 / std::sqrt(var + eps);
    const float a = static_cast<float>(scale[c] * inv), b = static_cast<float>(bias[c] - mean * scale[c] * inv);
    for (int64_t n = 0; n < N; ++n) {
      const float* p = in + (n * C + c) * inner;
      float* q = y + (n * C + c) * inner;
      for (int64_t i = 0; i < inner; ++i) q[i] = a * p[i] + b;
    }
    const double unbiased = var * double(m) / double(m - 1);
    const double stats[4] = {momentum * ctx.input(3).data<float>()[c] + (1 - momentum) * mean,
                             momentum * ctx.input(4).data<float>()[c] + (1 - momentum) * unbiased, mean, inv};
    for (int o = 1; o < 5; ++o)
      if (ctx.has_output(o)) ctx.output(o).data<float>()[c] = static_cast<float>(stats[o - 1]);
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "BatchNormTraining", .domain = kGradDomain, .infer = infer_batch_norm_training,
               .run = run_batch_norm_training);

}  // namespace ew
