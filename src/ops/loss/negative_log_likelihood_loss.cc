// NegativeLogLikelihoodLoss (opset 12): gathers -input[n, target, d] * weight[target].
#include "ops/loss/nll.h"

namespace ew {
namespace {

Status run_nll(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor* weight = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  auto layout = loss_layout(x, ctx.input(1), weight);
  if (!layout.is_ok()) return ctx.error(layout.status().message());
  const LossLayout l = *layout;
  auto logp = [&](int64_t n, int64_t c, int64_t d) { return x.get_double((n * l.c + c) * l.d + d); };
  Status s = gather_loss(ctx.node(), l, logp, ctx.input(1), weight, ctx.output(0));
  return s.is_ok() ? s : Status(s.code(), ctx.error(s.message()).message());
}

}  // namespace

EW_REGISTER_OP(.op_type = "NegativeLogLikelihoodLoss", .since_version = 12, .infer = infer_loss, .run = run_nll);

}  // namespace ew
