// ActivationGrad(dy, x) -> dy * f'(x) for the elementwise activations, from
// the forward input x. Attribute "activation": Relu, LeakyRelu (alpha), Clip
// (min, max: x strictly inside gets the gradient), Sigmoid, Tanh, HardSigmoid
// (alpha, beta), HardSwish, Gelu ("approximate": none|tanh), Softplus, Elu
// (alpha), Exp, Log, Sqrt, Abs, Erf. For Relu and Clip the forward output may
// stand for x (the derivative is the same), and the gradient rules pass it.
#include <cmath>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

using Derivative = float (*)(float x, float a, float b);

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

Result<Derivative> derivative(const std::string& name, const std::string& approximate) {
  if (name == "Relu") return Derivative([](float x, float, float) { return x > 0 ? 1.0f : 0.0f; });
  if (name == "LeakyRelu") return Derivative([](float x, float a, float) { return x > 0 ? 1.0f : a; });
  if (name == "Clip") return Derivative([](float x, float lo, float hi) { return x > lo && x < hi ? 1.0f : 0.0f; });
  if (name == "Sigmoid") return Derivative([](float x, float, float) { float s = sigmoid(x); return s * (1 - s); });
  if (name == "Tanh") return Derivative([](float x, float, float) { float t = std::tanh(x); return 1 - t * t; });
  if (name == "HardSigmoid")
    return Derivative([](float x, float a, float b) { float v = a * x + b; return v > 0 && v < 1 ? a : 0.0f; });
  if (name == "HardSwish")
    return Derivative([](float x, float, float) { return x < -3 ? 0.0f : x > 3 ? 1.0f : (2 * x + 3) / 6; });
  if (name == "Gelu" && approximate == "tanh")
    return Derivative([](float x, float, float) {
      const float k = 0.7978845608028654f, c = 0.044715f;
      float u = k * (x + c * x * x * x), t = std::tanh(u);
      return 0.5f * (1 + t) + 0.5f * x * (1 - t * t) * k * (1 + 3 * c * x * x);
    });
  if (name == "Gelu")
    return Derivative([](float x, float, float) {
      return 0.5f * (1 + std::erf(x * 0.7071067811865476f)) + x * 0.3989422804014327f * std::exp(-0.5f * x * x);
    });
  if (name == "Softplus") return Derivative([](float x, float, float) { return sigmoid(x); });
  if (name == "Elu") return Derivative([](float x, float a, float) { return x > 0 ? 1.0f : a * std::exp(x); });
  if (name == "Exp") return Derivative([](float x, float, float) { return std::exp(x); });
  if (name == "Log") return Derivative([](float x, float, float) { return 1 / x; });
  if (name == "Sqrt") return Derivative([](float x, float, float) { return 0.5f / std::sqrt(x); });
  if (name == "Abs") return Derivative([](float x, float, float) { return x > 0 ? 1.0f : x < 0 ? -1.0f : 0.0f; });
  if (name == "Erf") return Derivative([](float x, float, float) { return 1.1283791670955126f * std::exp(-x * x); });
  return invalid_argument("no derivative for activation '" + name + "'");
}

Status infer_activation_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  auto d = derivative(ctx.node().attr_string("activation", ""), ctx.node().attr_string("approximate", "none"));
  if (!d.is_ok()) return ctx.error(d.status().message());
  return infer_like_input(ctx, 1);
}

Status run_activation_grad(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 1));
  const Tensor &dy = ctx.input(0), &x = ctx.input(1);
  if (dy.shape() != x.shape()) return ctx.error("dy " + dy.describe() + " and x " + x.describe() + " differ");
  auto d = derivative(ctx.node().attr_string("activation", ""), ctx.node().attr_string("approximate", "none"));
  if (!d.is_ok()) return ctx.error(d.status().message());
  const float a = ctx.node().attr_float("alpha", 0.0f), b = ctx.node().attr_float("beta", 0.0f);
  const float* g = dy.data<float>();
  const float* v = x.data<float>();
  float* o = ctx.output(0).data<float>();
  const Derivative f = *d;
  for (int64_t i = 0; i < x.numel(); ++i) o[i] = g[i] * f(v[i], a, b);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ActivationGrad", .domain = kGradDomain, .infer = infer_activation_grad,
               .run = run_activation_grad);

}  // namespace ew
