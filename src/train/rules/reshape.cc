// Gradients of the ops that only change a shape (Reshape, Flatten, Squeeze,
// Unsqueeze, Identity): the output gradient reshaped to the input's shape.
#include "train/gradient_rule.h"

namespace ew::train {

Result<std::vector<std::string>> reshape_gradient(GradientContext& c) {
  std::vector<std::string> g(c.node.inputs.size());
  if (c.node.op_type == "Identity")
    g[0] = c.dy();
  else
    g[0] = c.g.add1("Reshape", {c.dy(), c.g.add1("Shape", {c.in(0)})});
  return g;
}

EW_REGISTER_GRADIENT(.op_type = "Reshape", .fn = reshape_gradient);
EW_REGISTER_GRADIENT(.op_type = "Flatten", .fn = reshape_gradient);
EW_REGISTER_GRADIENT(.op_type = "Squeeze", .fn = reshape_gradient);
EW_REGISTER_GRADIENT(.op_type = "Unsqueeze", .fn = reshape_gradient);
EW_REGISTER_GRADIENT(.op_type = "Identity", .fn = reshape_gradient);

}  // namespace ew::train
