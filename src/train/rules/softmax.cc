// Gradients of Softmax and LogSoftmax (SoftmaxGrad, from the output). Before
// opset 13 these ops normalise over all dims from `axis` on; that form is
// differentiated only when it is the last dim.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> softmax_gradient(GradientContext& c) {
  const int64_t rank = c.rank(c.in(0));
  int64_t axis = c.node.attr_int("axis", c.opset >= 13 ? -1 : 1);
  if (axis < 0 && rank >= 0) axis += rank;
  if (c.opset < 13 && (rank < 0 || axis != rank - 1))
    return c.error("before opset 13 only the last axis is differentiated (convert with optimize --target-opset 13)");
  const bool log = c.node.op_type == "LogSoftmax";
  return std::vector<std::string>{c.g.grad_op(
      "SoftmaxGrad", {c.dy(), c.out(0)}, {{"axis", Attribute::make_int(axis)}, {"log", Attribute::make_int(log ? 1 : 0)}})};
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Softmax", .fn = softmax_gradient);
EW_REGISTER_GRADIENT(.op_type = "LogSoftmax", .fn = softmax_gradient);

}  // namespace ew::train
