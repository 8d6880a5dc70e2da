// Gelu (opset 20): x * Phi(x), exactly via erf or with the tanh approximation.
#include <cmath>

#include "ops/activation/float_unary.h"

namespace ew {
namespace {

Status infer_gelu(InferContext& ctx) {
  std::string approx = ctx.node().attr_string("approximate", "none");
  if (approx != "none" && approx != "tanh")
    return ctx.error("Gelu approximate must be 'none' or 'tanh', got '" + approx + "'");
  return infer_float_unary(ctx);
}

Status run_gelu(KernelContext& ctx) {
  if (ctx.node().attr_string("approximate", "none") == "tanh") {
    return run_float_unary(ctx, [](auto x) {
      using C = decltype(x);
      const C k = C(0.7978845608028654);  // sqrt(2 / pi)
      return C(0.5) * x * (C(1) + std::tanh(k * (x + C(0.044715) * x * x * x)));
    });
  }
  return run_float_unary(ctx, [](auto x) {
    using C = decltype(x);
    return C(0.5) * x * (C(1) + std::erf(x * C(0.7071067811865476)));
  });
}

}  // namespace

EW_REGISTER_OP(.op_type = "Gelu", .since_version = 20, .infer = infer_gelu, .run = run_gelu);

}  // namespace ew
