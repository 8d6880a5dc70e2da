// Gradients of Add, Sub, Sum, Mul, Div and Pow with NumPy broadcasting: each
// input's gradient is summed back to its own shape (GradientGraph::sum_to).
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

using Grads = Result<std::vector<std::string>>;

Grads add_gradient(GradientContext& c) {
  return std::vector<std::string>{c.want(0) ? c.g.sum_to(c.dy(), c.in(0)) : "",
                                  c.want(1) ? c.g.sum_to(c.dy(), c.in(1)) : ""};
}

Grads sub_gradient(GradientContext& c) {
  return std::vector<std::string>{c.want(0) ? c.g.sum_to(c.dy(), c.in(0)) : "",
                                  c.want(1) ? c.g.sum_to(c.g.add1("Neg", {c.dy()}), c.in(1)) : ""};
}

Grads mul_gradient(GradientContext& c) {
  return std::vector<std::string>{c.want(0) ? c.g.sum_to(c.g.add1("Mul", {c.dy(), c.in(1)}), c.in(0)) : "",
                                  c.want(1) ? c.g.sum_to(c.g.add1("Mul", {c.dy(), c.in(0)}), c.in(1)) : ""};
}

// Sum (variadic, broadcasting): each input gets dy summed to its shape.
Grads sum_gradient(GradientContext& c) {
  std::vector<std::string> g(c.node.inputs.size());
  for (size_t i = 0; i < g.size(); ++i)
    if (c.want(static_cast<int>(i))) g[i] = c.g.sum_to(c.dy(), c.in(static_cast<int>(i)));
  return g;
}

// y = a / b: da = dy / b, db = -dy * y / b.
Grads div_gradient(GradientContext& c) {
  std::vector<std::string> g(2);
  if (c.want(0)) g[0] = c.g.sum_to(c.g.add1("Div", {c.dy(), c.in(1)}), c.in(0));
  if (c.want(1)) {
    std::string t = c.g.add1("Div", {c.g.add1("Mul", {c.dy(), c.out(0)}), c.in(1)});
    g[1] = c.g.sum_to(c.g.add1("Neg", {t}), c.in(1));
  }
  return g;
}

// y = a ^ b: da = dy * b * a^(b-1), db = dy * y * ln(a).
Grads pow_gradient(GradientContext& c) {
  std::vector<std::string> g(2);
  if (c.want(0)) {
    std::string b = c.in(1);
    const ValueType* bt = c.g.type(b);
    if (bt && bt->dtype != DType::kFloat32) b = c.g.add1("Cast", {b}, {{"to", Attribute::make_int(1)}});
    std::string lower = c.g.add1("Pow", {c.in(0), c.g.add1("Sub", {b, c.g.scalar("one", 1.0f)})});
    g[0] = c.g.sum_to(c.g.add1("Mul", {c.dy(), c.g.add1("Mul", {b, lower})}), c.in(0));
  }
  if (c.want(1)) g[1] = c.g.sum_to(c.g.add1("Mul", {c.dy(), c.g.add1("Mul", {c.out(0), c.g.add1("Log", {c.in(0)})})}), c.in(1));
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Add", .fn = add_gradient);
EW_REGISTER_GRADIENT(.op_type = "Sub", .fn = sub_gradient);
EW_REGISTER_GRADIENT(.op_type = "Sum", .fn = sum_gradient);
EW_REGISTER_GRADIENT(.op_type = "Mul", .fn = mul_gradient);
EW_REGISTER_GRADIENT(.op_type = "Div", .fn = div_gradient);
EW_REGISTER_GRADIENT(.op_type = "Pow", .fn = pow_gradient);

}  // namespace ew::train
