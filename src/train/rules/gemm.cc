// Gradients of Gemm, Y = alpha · A' · B' + beta · C with A' = transA ? Aᵀ : A
// (and B' likewise), written as Gemm nodes so the fast GEMM serves them:
//   dA = alpha · dY · B'ᵀ      (transposed back when transA)
//   dB = alpha · A'ᵀ · dY      (transposed back when transB)
//   dC = beta · dY, summed to C's shape.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

std::string gemm(GradientGraph& g, const std::string& a, const std::string& b, float alpha, int64_t ta, int64_t tb) {
  return g.add1("Gemm", {a, b},
                {{"alpha", Attribute::make_float(alpha)}, {"transA", Attribute::make_int(ta)}, {"transB", Attribute::make_int(tb)}});
}

Result<std::vector<std::string>> gemm_gradient(GradientContext& c) {
  const float alpha = c.node.attr_float("alpha", 1.0f), beta = c.node.attr_float("beta", 1.0f);
  const int64_t ta = c.node.attr_int("transA", 0), tb = c.node.attr_int("transB", 0);
  std::vector<std::string> g(c.node.inputs.size());
  const std::string &a = c.in(0), &b = c.in(1), &dy = c.dy();
  if (c.want(0)) g[0] = ta ? gemm(c.g, b, dy, alpha, tb, 1) : gemm(c.g, dy, b, alpha, 0, tb ? 0 : 1);
  if (c.want(1)) g[1] = tb ? gemm(c.g, dy, a, alpha, 1, ta) : gemm(c.g, a, dy, alpha, ta ? 0 : 1, 0);
  if (c.want(2)) {
    std::string scaled = beta == 1.0f ? dy : c.g.add1("Mul", {dy, c.g.scalar("beta", beta)});
    g[2] = c.g.sum_to(scaled, c.in(2));
  }
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Gemm", .fn = gemm_gradient);

}  // namespace ew::train
