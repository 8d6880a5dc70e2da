// Gradient of DropoutTraining: dy times the mask it drew (0 or 1/(1-ratio)).
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> dropout_gradient(GradientContext& c) {
  return std::vector<std::string>{c.g.add1("Mul", {c.dy(), c.out(1)}), ""};
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "DropoutTraining", .domain = kGradDomain, .fn = dropout_gradient);

}  // namespace ew::train
