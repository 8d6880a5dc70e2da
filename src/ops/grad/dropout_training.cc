// DropoutTraining(x, seed int64 scalar) -> (y, mask): training-mode dropout
// with probability `ratio`, drawn from std::mt19937_64 seeded with seed and the
// node's `salt` (so two layers in one step differ, and a step re-run with the
// same seed draws the same mask). mask holds 0 or 1/(1-ratio); y = x * mask,
// and the backward is dy * mask.
#include <random>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_dropout_training(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  const float ratio = ctx.node().attr_float("ratio", 0.5f);
  if (!(ratio >= 0.0f && ratio < 1.0f)) return ctx.error("ratio must be in [0, 1), got " + std::to_string(ratio));
  EW_RETURN_IF_ERROR(infer_like_input(ctx, 0));
  if (ctx.has_output(1)) ctx.set_output(1, ctx.output_types()[0]);
  return Status::ok();
}

Status run_dropout_training(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  if (!ctx.has_input(1) || ctx.input(1).numel() != 1) return ctx.error("seed must be a scalar");
  const float ratio = ctx.node().attr_float("ratio", 0.5f);
  const Tensor& x = ctx.input(0);
  std::mt19937_64 rng(static_cast<uint64_t>(ctx.input(1).get_int64(0)) * 0x9E3779B97F4A7C15ull ^
                      static_cast<uint64_t>(ctx.node().attr_int("salt", 0)));
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  const float keep = 1.0f / (1.0f - ratio);
  Tensor mask_scratch;
  float* mask = nullptr;
  if (ctx.has_output(1)) {
    mask = ctx.output(1).data<float>();
  } else {
    EW_ASSIGN_OR_RETURN(mask_scratch, Tensor::create(DType::kFloat32, x.shape()));
    mask = mask_scratch.data<float>();
  }
  const float* v = x.data<float>();
  float* y = ctx.output(0).data<float>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    mask[i] = u(rng) < ratio ? 0.0f : keep;
    y[i] = v[i] * mask[i];
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "DropoutTraining", .domain = kGradDomain, .infer = infer_dropout_training,
               .run = run_dropout_training);

}  // namespace ew
