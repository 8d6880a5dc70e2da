// SoftmaxCrossEntropyLoss (opset 12): log_prob = LogSoftmax(scores, axis 1),
// then the negative log-likelihood of the labels (see nll.h). Optional output 1
// is log_prob itself.
#include <cmath>
#include <vector>

#include "ops/loss/nll.h"

namespace ew {
namespace {

Status infer_sce(InferContext& ctx) {
  EW_RETURN_IF_ERROR(infer_loss(ctx));
  if (ctx.has_output(1)) ctx.set_output(1, ctx.input_type(0));
  return Status::ok();
}

// Log-softmax over C of the [N, C, D] view, in double.
std::vector<double> log_softmax(const Tensor& x, const LossLayout& l) {
  std::vector<double> out(static_cast<size_t>(x.numel()));
  for (int64_t n = 0; n < l.n; ++n)
    for (int64_t d = 0; d < l.d; ++d) {
      const int64_t base = n * l.c * l.d + d;
      double max = x.get_double(base);
      for (int64_t c = 1; c < l.c; ++c) max = std::max(max, x.get_double(base + c * l.d));
      double sum = 0;
      for (int64_t c = 0; c < l.c; ++c) sum += std::exp(x.get_double(base + c * l.d) - max);
      const double log_sum = std::log(sum);
      for (int64_t c = 0; c < l.c; ++c) out[base + c * l.d] = x.get_double(base + c * l.d) - max - log_sum;
    }
  return out;
}

void write_log_prob(const std::vector<double>& lp, Tensor& out) {
  visit_float(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    for (size_t i = 0; i < lp.size(); ++i) out.data<T>()[i] = T(static_cast<compute_t<T>>(lp[i]));
  });
}

Status run_sce(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor* weight = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  auto layout = loss_layout(x, ctx.input(1), weight);
  if (!layout.is_ok()) return ctx.error(layout.status().message());
  const LossLayout l = *layout;
  if (l.c == 0) return ctx.error("scores must have at least one class");
  const std::vector<double> lp = log_softmax(x, l);
  auto logp = [&](int64_t n, int64_t c, int64_t d) { return lp[(n * l.c + c) * l.d + d]; };
  Status s = gather_loss(ctx.node(), l, logp, ctx.input(1), weight, ctx.output(0));
  if (!s.is_ok()) return Status(s.code(), ctx.error(s.message()).message());
  if (ctx.has_output(1)) write_log_prob(lp, ctx.output(1));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "SoftmaxCrossEntropyLoss", .since_version = 12, .infer = infer_sce, .run = run_sce);

}  // namespace ew
