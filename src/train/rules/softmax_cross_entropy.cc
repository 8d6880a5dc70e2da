// Gradient of the SoftmaxCrossEntropy loss (SoftmaxCrossEntropyGrad, from the
// log-probabilities the forward kept).
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> sce_gradient(GradientContext& c) {
  if (c.node.outputs.size() < 2 || c.out(1).empty()) return c.error("needs its log_prob output");
  std::vector<std::string> in{c.dy(), c.out(1), c.in(1)};
  if (c.node.has_input(2)) in.push_back(c.in(2));
  std::vector<std::string> g(c.node.inputs.size());
  g[0] = c.g.grad_op("SoftmaxCrossEntropyGrad", in,
                     {{"label_smoothing", Attribute::make_float(c.node.attr_float("label_smoothing", 0.0f))}});
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "SoftmaxCrossEntropy", .domain = kGradDomain, .fn = sce_gradient);

}  // namespace ew::train
