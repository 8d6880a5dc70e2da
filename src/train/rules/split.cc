// Gradient of Split: the output gradients concatenated back along the axis,
// with zeros (ConstantOfShape of the output's shape) for outputs no gradient
// reaches.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> split_gradient(GradientContext& c) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < c.node.outputs.size(); ++i) {
    if (!c.dy(static_cast<int>(i)).empty()) {
      parts.push_back(c.dy(static_cast<int>(i)));
      continue;
    }
    if (c.out(static_cast<int>(i)).empty()) return c.error("every output needs a name to be differentiated");
    Tensor zero = Tensor::from_vector<float>({1}, {0.0f}).value();
    parts.push_back(c.g.add1("ConstantOfShape", {c.g.add1("Shape", {c.out(static_cast<int>(i))})},
                             {{"value", Attribute::make_tensor(std::move(zero))}}));
  }
  std::vector<std::string> g(c.node.inputs.size());
  g[0] = c.g.add1("Concat", parts, {{"axis", Attribute::make_int(c.node.attr_int("axis", 0))}});
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Split", .fn = split_gradient);

}  // namespace ew::train
