// Gradient of Concat: the output gradient split back into the inputs' sizes
// along the axis (which must be static).
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> concat_gradient(GradientContext& c) {
  const int64_t rank = c.rank(c.in(0));
  int64_t axis = c.node.attr_int("axis", 0);
  if (rank < 0) return c.error("needs inputs of known rank");
  if (axis < 0) axis += rank;
  std::vector<int64_t> sizes;
  for (const std::string& in : c.node.inputs) {
    const ValueType* t = c.g.type(in);
    if (!t || !t->has_shape || !t->dims[static_cast<size_t>(axis)].known())
      return c.error("input '" + in + "' needs a static size along axis " + std::to_string(axis));
    sizes.push_back(t->dims[static_cast<size_t>(axis)].value);
  }
  std::map<std::string, Attribute> attrs{{"axis", Attribute::make_int(axis)}};
  std::vector<std::string> inputs{c.dy()};
  if (c.opset >= 13)
    inputs.push_back(c.g.constant("split", Tensor::from_vector<int64_t>({static_cast<int64_t>(sizes.size())}, sizes).value()));
  else
    attrs["split"] = Attribute::make_ints(sizes);
  std::vector<std::string> parts = c.g.add("Split", inputs, static_cast<int>(sizes.size()), attrs);
  for (size_t i = 0; i < parts.size(); ++i)
    if (!c.want(static_cast<int>(i))) parts[i].clear();
  return parts;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Concat", .fn = concat_gradient);

}  // namespace ew::train
