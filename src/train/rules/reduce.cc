// Gradients of ReduceSum and ReduceMean (ReduceGrad): the output gradient
// spread back over the reduced axes (divided by their size for the mean).
// Axes come from the attribute or, from opsets 13 (Sum) / 18 (Mean), a
// constant input.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> reduce_gradient(GradientContext& c) {
  std::vector<int64_t> axes = c.node.attr_ints("axes");
  if (c.node.has_input(1)) {
    const Tensor* t = c.g.constant_value(c.in(1));
    if (!t) return c.error("axes must be a constant to train");
    axes = t->to_int64_vector();
  }
  if (axes.empty() && c.node.attr_int("noop_with_empty_axes", 0)) {
    std::vector<std::string> g(c.node.inputs.size());
    g[0] = c.dy();
    return g;
  }
  std::vector<std::string> g(c.node.inputs.size());
  g[0] = c.g.grad_op("ReduceGrad", {c.dy(), c.in(0)},
                     {{"axes", Attribute::make_ints(axes)},
                      {"keepdims", Attribute::make_int(c.node.attr_int("keepdims", 1))},
                      {"mean", Attribute::make_int(c.node.op_type == "ReduceMean" ? 1 : 0)}});
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "ReduceSum", .fn = reduce_gradient);
EW_REGISTER_GRADIENT(.op_type = "ReduceMean", .fn = reduce_gradient);

}  // namespace ew::train
