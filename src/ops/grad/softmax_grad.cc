// SoftmaxGrad(dy, y) -> dx for y = Softmax(x) along `axis`:
// dx = y * (dy - sum(dy * y)); with log = 1, for y = LogSoftmax(x):
// dx = dy - exp(y) * sum(dy). Negative axes count from the end.
#include <cmath>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_softmax_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  return infer_like_input(ctx, 1);
}

Status run_softmax_grad(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  const Tensor &dy = ctx.input(0), &y = ctx.input(1);
  if (dy.shape() != y.shape()) return ctx.error("dy " + dy.describe() + " and y " + y.describe() + " differ");
  const int64_t rank = y.rank();
  int64_t axis = ctx.node().attr_int("axis", -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return ctx.error("axis out of range for " + y.describe());
  int64_t outer = 1, n = y.dim(axis), inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= y.dim(d);
  for (int64_t d = axis + 1; d < rank; ++d) inner *= y.dim(d);
  const bool log = ctx.node().attr_int("log", 0) != 0;
  const float *g = dy.data<float>(), *v = y.data<float>();
  float* o = ctx.output(0).data<float>();
  for (int64_t a = 0; a < outer; ++a)
    for (int64_t c = 0; c < inner; ++c) {
      const int64_t base = a * n * inner + c;
      double s = 0;
      for (int64_t k = 0; k < n; ++k) s += log ? g[base + k * inner] : g[base + k * inner] * v[base + k * inner];
      for (int64_t k = 0; k < n; ++k) {
        const int64_t i = base + k * inner;
        o[i] = log ? g[i] - std::exp(v[i]) * static_cast<float>(s) : v[i] * (g[i] - static_cast<float>(s));
      }
    }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "SoftmaxGrad", .domain = kGradDomain, .infer = infer_softmax_grad, .run = run_softmax_grad);

}  // namespace ew
