// Gradient of Slice: SliceGrad writes dY back at the positions the slice read
// (zeros elsewhere). From opset 10 it takes the forward's starts/ends/axes/
// steps inputs as they are (constant or not); before, the attributes become
// constant inputs.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> slice_gradient(GradientContext& c) {
  std::vector<std::string> in{c.dy(), c.in(0)};
  if (c.opset >= 10) {
    for (int i = 1; i < 5; ++i) in.push_back(c.node.has_input(i) ? c.in(i) : "");
    while (in.back().empty()) in.pop_back();
  } else {
    for (const char* name : {"starts", "ends", "axes"}) {
      if (!c.node.has_attr(name)) break;
      std::vector<int64_t> v = c.node.attr_ints(name);
      in.push_back(c.g.constant(name, Tensor::from_vector<int64_t>({static_cast<int64_t>(v.size())}, v).value()));
    }
  }
  if (in.size() < 4) return c.error("needs starts and ends");
  std::vector<std::string> g(c.node.inputs.size());
  g[0] = c.g.grad_op("SliceGrad", in);
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Slice", .fn = slice_gradient);

}  // namespace ew::train
