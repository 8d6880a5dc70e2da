// Gradient of Gather with respect to its data (embedding tables):
// GatherGrad scatter-adds dY's rows back at their indices along `axis`.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> gather_gradient(GradientContext& c) {
  std::vector<std::string> g(c.node.inputs.size());
  g[0] = c.g.grad_op("GatherGrad", {c.dy(), c.in(1), c.in(0)},
                     {{"axis", Attribute::make_int(c.node.attr_int("axis", 0))}});
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Gather", .fn = gather_gradient);

}  // namespace ew::train
