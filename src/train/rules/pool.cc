// Gradients of the pooling ops. MaxPool and AveragePool go through
// MaxPoolGrad / AveragePoolGrad (src/ops/grad/), which re-resolve the forward
// window from X and the forward's attributes; GlobalAveragePool is a mean
// over the spatial axes (ReduceGrad); GlobalMaxPool a MaxPool whose window is
// the whole (static) plane.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

using Grads = Result<std::vector<std::string>>;

std::vector<std::string> only_first(const GradientContext& c, std::string g) {
  std::vector<std::string> out(c.node.inputs.size());
  out[0] = std::move(g);
  return out;
}

Grads pool_gradient(GradientContext& c) {
  if (c.node.outputs.size() > 1 && c.output_grads.size() > 1 && !c.dy(1).empty())
    return c.error("MaxPool's Indices are not differentiable");
  std::map<std::string, Attribute> attrs;
  for (const char* k : {"kernel_shape", "strides", "pads", "dilations", "auto_pad", "count_include_pad"})
    if (c.node.has_attr(k)) attrs[k] = c.node.attributes.at(k);
  if (c.opset >= 10 && c.node.has_attr("ceil_mode")) attrs["ceil_mode"] = c.node.attributes.at("ceil_mode");
  const char* op = c.node.op_type == "MaxPool" ? "MaxPoolGrad" : "AveragePoolGrad";
  return only_first(c, c.g.grad_op(op, {c.dy(), c.in(0)}, attrs));
}

Grads global_average_pool_gradient(GradientContext& c) {
  const int64_t rank = c.rank(c.in(0));
  if (rank < 3) return c.error("needs X of known rank >= 3");
  std::vector<int64_t> axes;
  for (int64_t a = 2; a < rank; ++a) axes.push_back(a);
  return only_first(c, c.g.grad_op("ReduceGrad", {c.dy(), c.in(0)},
                                   {{"axes", Attribute::make_ints(axes)},
                                    {"keepdims", Attribute::make_int(1)},
                                    {"mean", Attribute::make_int(1)}}));
}

Grads global_max_pool_gradient(GradientContext& c) {
  const ValueType* t = c.g.type(c.in(0));
  std::vector<int64_t> kernel;
  for (size_t d = 2; t && t->has_shape && d < t->dims.size(); ++d) {
    if (!t->dims[d].known()) return c.error("needs static spatial dims");
    kernel.push_back(t->dims[d].value);
  }
  if (kernel.empty()) return c.error("needs X of known rank >= 3 with static spatial dims");
  return only_first(c, c.g.grad_op("MaxPoolGrad", {c.dy(), c.in(0)}, {{"kernel_shape", Attribute::make_ints(kernel)}}));
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "MaxPool", .fn = pool_gradient);
EW_REGISTER_GRADIENT(.op_type = "AveragePool", .fn = pool_gradient);
EW_REGISTER_GRADIENT(.op_type = "GlobalAveragePool", .fn = global_average_pool_gradient);
EW_REGISTER_GRADIENT(.op_type = "GlobalMaxPool", .fn = global_max_pool_gradient);

}  // namespace ew::train
