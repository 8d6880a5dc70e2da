// ReduceGrad(dy, x) -> dx: the gradient of ReduceSum/ReduceMean over `axes`
// (all axes when empty) with `keepdims`: dy broadcast back over the reduced
// axes, divided by the count of reduced elements when mean = 1.
#include "ops/broadcast.h"
#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_reduce_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  return infer_like_input(ctx, 1);
}

Status run_reduce_grad(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  const Tensor& dy = ctx.input(0);
  const Shape& xs = ctx.input(1).shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  std::vector<bool> reduced(xs.size(), false);
  std::vector<int64_t> axes = ctx.node().attr_ints("axes");
  if (axes.empty()) reduced.assign(xs.size(), true);
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) return ctx.error("axis " + std::to_string(a) + " out of range for rank " + std::to_string(rank));
    reduced[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
  }
  Shape kept;  // dy's shape with the reduced axes present as 1
  int64_t count = 1;
  for (size_t d = 0; d < xs.size(); ++d) {
    kept.push_back(reduced[d] ? 1 : xs[d]);
    if (reduced[d]) count *= xs[d];
  }
  if (shape_numel(kept).value_or(-1) != dy.numel())
    return ctx.error("dy " + dy.describe() + " does not match input " + shape_to_string(xs) + " reduced");
  const float scale = ctx.node().attr_int("mean", 0) && count > 0 ? 1.0f / static_cast<float>(count) : 1.0f;
  const float* g = dy.data<float>();
  float* o = ctx.output(0).data<float>();
  broadcast_for_each<1>(xs, {&kept}, [&](int64_t i, const std::array<int64_t, 1>& off) { o[i] = g[off[0]] * scale; });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ReduceGrad", .domain = kGradDomain, .infer = infer_reduce_grad, .run = run_reduce_grad);

}  // namespace ew
