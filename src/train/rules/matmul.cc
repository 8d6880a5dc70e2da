// Gradients of MatMul (batched, broadcasting; both operands of rank >= 2):
// dA = dY · Bᵀ and dB = Aᵀ · dY, each summed back over broadcast batch dims.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

std::string transpose_last2(GradientGraph& g, const std::string& x, int64_t rank) {
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < rank; ++i) perm.push_back(i);
  std::swap(perm[static_cast<size_t>(rank - 1)], perm[static_cast<size_t>(rank - 2)]);
  return g.add1("Transpose", {x}, {{"perm", Attribute::make_ints(perm)}});
}

Result<std::vector<std::string>> matmul_gradient(GradientContext& c) {
  const int64_t ra = c.rank(c.in(0)), rb = c.rank(c.in(1));
  if (ra < 2 || rb < 2)
    return c.error("needs both operands of known rank >= 2 (ranks " + std::to_string(ra) + ", " + std::to_string(rb) + ")");
  std::vector<std::string> g(2);
  if (c.want(0)) g[0] = c.g.sum_to(c.g.add1("MatMul", {c.dy(), transpose_last2(c.g, c.in(1), rb)}), c.in(0));
  if (c.want(1)) g[1] = c.g.sum_to(c.g.add1("MatMul", {transpose_last2(c.g, c.in(0), ra), c.dy()}), c.in(1));
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "MatMul", .fn = matmul_gradient);

}  // namespace ew::train
