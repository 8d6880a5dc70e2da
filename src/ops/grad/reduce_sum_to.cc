// ReduceSumTo(grad, like) -> grad summed over the dims along which `like` was
// broadcast to grad's shape (NumPy rules), reshaped to like's shape: the
// gradient of a broadcasting input.
#include "ops/broadcast.h"
#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_reduce_sum_to(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  return infer_like_input(ctx, 1);
}

Status run_reduce_sum_to(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  const Tensor& g = ctx.input(0);
  const Shape& to = ctx.input(1).shape();
  if (to.size() > g.shape().size())
    return ctx.error("target rank " + std::to_string(to.size()) + " exceeds the gradient's " + g.describe());
  auto b = broadcast_shapes(to, g.shape());
  if (!b.is_ok() || *b != g.shape())
    return ctx.error("shape " + shape_to_string(to) + " does not broadcast to the gradient " + g.describe());
  Tensor& out = ctx.output(0);
  float* o = out.data<float>();
  for (int64_t i = 0; i < out.numel(); ++i) o[i] = 0.0f;
  const float* src = g.data<float>();
  broadcast_for_each<1>(g.shape(), {&to}, [&](int64_t gi, const std::array<int64_t, 1>& off) { o[off[0]] += src[gi]; });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceSumTo", .domain = kGradDomain, .infer = infer_reduce_sum_to, .run = run_reduce_sum_to);

}  // namespace ew
