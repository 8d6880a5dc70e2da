// Gradients of the elementwise activations and unary math: dy * f'(x) through
// ActivationGrad (src/ops/grad/activation_grad.cc), or plain ONNX ops where
// the derivative is the output itself (Exp) or a sign (Neg).
#include <cfloat>

#include "train/gradient_rule.h"

namespace ew::train {
namespace {

using Grads = Result<std::vector<std::string>>;

std::vector<std::string> only_first(const GradientContext& c, std::string g) {
  std::vector<std::string> out(c.node.inputs.size());
  out[0] = std::move(g);
  return out;
}

// `from` is the value ActivationGrad reads: the forward input, or for Relu
// and Clip the output, whose derivative is the same (y > 0 exactly where
// x > 0; lo < y < hi exactly where lo < x < hi). Reading the output leaves the
// pre-activation value unused after the forward, so the optimizer can fuse the
// activation into the Conv that produces it and the value need not be kept.
Grads activation(GradientContext& c, float alpha, float beta, const std::string& from) {
  std::map<std::string, Attribute> attrs{{"activation", Attribute::make_string(c.node.op_type)},
                                         {"alpha", Attribute::make_float(alpha)},
                                         {"beta", Attribute::make_float(beta)}};
  if (c.node.op_type == "Gelu")
    attrs["approximate"] = Attribute::make_string(c.node.attr_string("approximate", "none"));
  return only_first(c, c.g.grad_op("ActivationGrad", {c.dy(), from}, attrs));
}
Grads activation(GradientContext& c, float alpha, float beta) { return activation(c, alpha, beta, c.in(0)); }

Grads plain_gradient(GradientContext& c) { return activation(c, 0, 0); }
Grads relu_gradient(GradientContext& c) { return activation(c, 0, 0, c.out(0)); }
Grads leaky_relu_gradient(GradientContext& c) { return activation(c, c.node.attr_float("alpha", 0.01f), 0); }
Grads elu_gradient(GradientContext& c) { return activation(c, c.node.attr_float("alpha", 1.0f), 0); }
Grads hard_sigmoid_gradient(GradientContext& c) {
  return activation(c, c.node.attr_float("alpha", 0.2f), c.node.attr_float("beta", 0.5f));
}

// Clip: bounds from attributes (opset < 11) or constant inputs.
Grads clip_gradient(GradientContext& c) {
  float lo = c.node.attr_float("min", -FLT_MAX), hi = c.node.attr_float("max", FLT_MAX);
  for (int i : {1, 2}) {
    if (!c.node.has_input(i)) continue;
    const Tensor* t = c.g.constant_value(c.in(i));
    if (!t || t->numel() != 1) return c.error("Clip bounds must be constants to train");
    (i == 1 ? lo : hi) = static_cast<float>(t->get_double(0));
  }
  return activation(c, lo, hi, c.out(0));
}

Grads neg_gradient(GradientContext& c) { return only_first(c, c.g.add1("Neg", {c.dy()})); }
Grads exp_gradient(GradientContext& c) { return only_first(c, c.g.add1("Mul", {c.dy(), c.out(0)})); }
Grads log_gradient(GradientContext& c) { return only_first(c, c.g.add1("Div", {c.dy(), c.in(0)})); }
Grads sqrt_gradient(GradientContext& c) {
  return only_first(c, c.g.add1("Div", {c.g.add1("Mul", {c.dy(), c.g.scalar("half", 0.5f)}), c.out(0)}));
}
Grads reciprocal_gradient(GradientContext& c) {  // -dy * y^2
  return only_first(c, c.g.add1("Neg", {c.g.add1("Mul", {c.dy(), c.g.add1("Mul", {c.out(0), c.out(0)})})}));
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Relu", .fn = relu_gradient);
EW_REGISTER_GRADIENT(.op_type = "Sigmoid", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "Tanh", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "HardSwish", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "Gelu", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "Softplus", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "Abs", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "Erf", .fn = plain_gradient);
EW_REGISTER_GRADIENT(.op_type = "LeakyRelu", .fn = leaky_relu_gradient);
EW_REGISTER_GRADIENT(.op_type = "Elu", .fn = elu_gradient);
EW_REGISTER_GRADIENT(.op_type = "HardSigmoid", .fn = hard_sigmoid_gradient);
EW_REGISTER_GRADIENT(.op_type = "Clip", .fn = clip_gradient);
EW_REGISTER_GRADIENT(.op_type = "Neg", .fn = neg_gradient);
EW_REGISTER_GRADIENT(.op_type = "Exp", .fn = exp_gradient);
EW_REGISTER_GRADIENT(.op_type = "Log", .fn = log_gradient);
EW_REGISTER_GRADIENT(.op_type = "Sqrt", .fn = sqrt_gradient);
EW_REGISTER_GRADIENT(.op_type = "Reciprocal", .fn = reciprocal_gradient);

}  // namespace ew::train
