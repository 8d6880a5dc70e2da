// Gradient of DropoutTraining: dy times the mask it drew (0 or 1/(1-ratio));
// and of ONNX Dropout in inference form (what an evaluation-mode graph keeps):
// the identity.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> dropout_gradient(GradientContext& c) {
  return std::vector<std::string>{c.g.add1("Mul", {c.dy(), c.out(1)}), ""};
}

Result<std::vector<std::string>> inference_dropout_gradient(GradientContext& c) {
  if (c.node.has_input(2)) {
    const Tensor* training = c.g.constant_value(c.in(2));
    if (!training || training->get_int64(0) != 0) return c.error("a Dropout in training mode is trained as DropoutTraining");
  }
  std::vector<std::string> g(c.node.inputs.size());
  g[0] = c.dy();
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Dropout", .fn = inference_dropout_gradient);
EW_REGISTER_GRADIENT(.op_type = "DropoutTraining", .domain = kGradDomain, .fn = dropout_gradient);

}  // namespace ew::train
