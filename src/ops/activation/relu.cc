// Relu: max(x, 0).
#include "ops/broadcast.h"

namespace ew {
namespace {

Status run_relu(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(x, ctx.output(0), [](T v) { return C(v) > C(0) ? v : T(C(0)); });
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "Relu", .infer = infer_same_as_input, .run = run_relu);

}  // namespace ew
