// Gradient of BatchNormTraining (the training form the gradient builder gives
// BatchNormalization): dX, dscale and dB from BatchNormTrainingGrad with the
// batch statistics the forward saved. The running statistics get no gradient,
// and nothing may flow back through the statistics outputs.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> batch_norm_training_gradient(GradientContext& c) {
  for (size_t i = 1; i < c.output_grads.size(); ++i)
    if (!c.output_grads[i].empty())
      return c.error("output " + std::to_string(i) + " (a statistic) is not differentiated");
  if (c.node.outputs.size() < 5 || c.out(3).empty() || c.out(4).empty())
    return c.error("needs its saved_mean and saved_inv_std outputs");
  if (c.dy().empty()) return c.error("no gradient reaches Y");
  std::vector<std::string> d = c.g.add("BatchNormTrainingGrad", {c.dy(), c.in(0), c.in(1), c.out(3), c.out(4)}, 3, {},
                                       kGradDomain);
  std::vector<std::string> g(c.node.inputs.size());
  for (int i = 0; i < 3; ++i)
    if (c.want(i)) g[static_cast<size_t>(i)] = d[static_cast<size_t>(i)];
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "BatchNormTraining", .domain = kGradDomain, .fn = batch_norm_training_gradient);

}  // namespace ew::train
