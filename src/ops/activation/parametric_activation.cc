// Float activations with scalar attributes: HardSigmoid, Elu, Selu, Celu,
// LeakyRelu, ThresholdedRelu. Attributes are read per run; the kernel is the
// shared float unary map.
#include <algorithm>
#include <cmath>

#include "ops/activation/float_unary.h"

namespace ew {
namespace {

float attr(const KernelContext& ctx, const char* name, float fallback) {
  return ctx.node().attr_float(name, fallback);
}

Status run_hard_sigmoid(KernelContext& ctx) {
  const float alpha = attr(ctx, "alpha", 0.2f), beta = attr(ctx, "beta", 0.5f);
  return run_float_unary(ctx, [&](auto x) {
    using C = decltype(x);
    return std::clamp(C(alpha) * x + C(beta), C(0), C(1));
  });
}

Status run_elu(KernelContext& ctx) {
  const float alpha = attr(ctx, "alpha", 1.0f);
  return run_float_unary(ctx, [&](auto x) {
    using C = decltype(x);
    return x < C(0) ? C(alpha) * std::expm1(x) : x;
  });
}

Status run_selu(KernelContext& ctx) {
  const float alpha = attr(ctx, "alpha", 1.67326319217681884765625f);
  const float gamma = attr(ctx, "gamma", 1.05070102214813232421875f);
  return run_float_unary(ctx, [&](auto x) {
    using C = decltype(x);
    return x > C(0) ? C(gamma) * x : C(gamma) * (C(alpha) * std::exp(x) - C(alpha));
  });
}

Status run_celu(KernelContext& ctx) {
  const float alpha = attr(ctx, "alpha", 1.0f);
  if (alpha == 0.0f || !std::isfinite(alpha)) return ctx.error("Celu alpha must be finite and non-zero");
  return run_float_unary(ctx, [&](auto x) {
    using C = decltype(x);
    return std::max(C(0), x) + std::min(C(0), C(alpha) * std::expm1(x / C(alpha)));
  });
}

Status run_leaky_relu(KernelContext& ctx) {
  const float alpha = attr(ctx, "alpha", 0.01f);
  return run_float_unary(ctx, [&](auto x) {
    using C = decltype(x);
    return x < C(0) ? C(alpha) * x : x;
  });
}

Status run_thresholded_relu(KernelContext& ctx) {
  const float alpha = attr(ctx, "alpha", 1.0f);
  return run_float_unary(ctx, [&](auto x) {
    using C = decltype(x);
    return x > C(alpha) ? x : C(0);
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "HardSigmoid", .infer = infer_float_unary, .run = run_hard_sigmoid);
EW_REGISTER_OP(.op_type = "Elu", .infer = infer_float_unary, .run = run_elu);
EW_REGISTER_OP(.op_type = "Selu", .infer = infer_float_unary, .run = run_selu);
EW_REGISTER_OP(.op_type = "Celu", .since_version = 12, .infer = infer_float_unary, .run = run_celu);
EW_REGISTER_OP(.op_type = "LeakyRelu", .infer = infer_float_unary, .run = run_leaky_relu);
EW_REGISTER_OP(.op_type = "ThresholdedRelu", .since_version = 10, .infer = infer_float_unary,
               .run = run_thresholded_relu);

}  // namespace ew
