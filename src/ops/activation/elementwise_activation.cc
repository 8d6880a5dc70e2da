// Attribute-free float activations: Sigmoid, Tanh, Softplus, Softsign, Mish,
// HardSwish. One kernel shape; only the scalar function differs.
#include <algorithm>
#include <cmath>

#include "ops/activation/float_unary.h"

namespace ew {
namespace {

// Stable on both tails: never forms exp of a large positive number.
template <typename C>
C sigmoid(C x) {
  if (x >= C(0)) return C(1) / (C(1) + std::exp(-x));
  C e = std::exp(x);
  return e / (C(1) + e);
}

// log(1 + exp(x)) without overflow for large x.
template <typename C>
C softplus(C x) {
  return x > C(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

Status run_sigmoid(KernelContext& ctx) {
  return run_float_unary(ctx, [](auto x) { return sigmoid(x); });
}

Status run_tanh(KernelContext& ctx) {
  return run_float_unary(ctx, [](auto x) { return std::tanh(x); });
}

Status run_softplus(KernelContext& ctx) {
  return run_float_unary(ctx, [](auto x) { return softplus(x); });
}

Status run_softsign(KernelContext& ctx) {
  return run_float_unary(ctx, [](auto x) { return x / (decltype(x)(1) + std::fabs(x)); });
}

Status run_mish(KernelContext& ctx) {
  return run_float_unary(ctx, [](auto x) { return x * std::tanh(softplus(x)); });
}

Status run_hard_swish(KernelContext& ctx) {
  return run_float_unary(ctx, [](auto x) {
    using C = decltype(x);
    return x * std::clamp(x / C(6) + C(0.5), C(0), C(1));
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "Sigmoid", .infer = infer_float_unary, .run = run_sigmoid);
EW_REGISTER_OP(.op_type = "Tanh", .infer = infer_float_unary, .run = run_tanh);
EW_REGISTER_OP(.op_type = "Softplus", .infer = infer_float_unary, .run = run_softplus);
EW_REGISTER_OP(.op_type = "Softsign", .infer = infer_float_unary, .run = run_softsign);
EW_REGISTER_OP(.op_type = "Mish", .since_version = 18, .infer = infer_float_unary, .run = run_mish);
EW_REGISTER_OP(.op_type = "HardSwish", .since_version = 14, .infer = infer_float_unary, .run = run_hard_swish);

}  // namespace ew
