// Gradient of Transpose: the output gradient transposed by the inverse permutation.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

Result<std::vector<std::string>> transpose_gradient(GradientContext& c) {
  std::vector<int64_t> perm = c.node.attr_ints("perm");
  if (perm.empty()) {
    const int64_t r = c.rank(c.in(0));
    if (r < 0) return c.error("Transpose without perm needs a known rank");
    for (int64_t i = r - 1; i >= 0; --i) perm.push_back(i);
  }
  std::vector<int64_t> inverse(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(perm.size())) return c.error("bad perm");
    inverse[static_cast<size_t>(perm[i])] = static_cast<int64_t>(i);
  }
  return std::vector<std::string>{c.g.add1("Transpose", {c.dy()}, {{"perm", Attribute::make_ints(inverse)}})};
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Transpose", .fn = transpose_gradient);

}  // namespace ew::train
