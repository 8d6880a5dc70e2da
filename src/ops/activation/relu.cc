// Relu: max(x, 0). Float types; signed integers from opset 14.
#include "ops/broadcast.h"

namespace ew {
namespace {

Status infer_relu(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  DType t = ctx.input_type(0).dtype;
  bool ok = t == DType::kUndefined || is_float(t) || (ctx.opset() >= 14 && is_signed_int(t));
  if (!ok) return ctx.error(std::string("unsupported type ") + dtype_name(t) + " at opset " +
                            std::to_string(ctx.opset()));
  return infer_same_as_input(ctx);
}

Status run_relu(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(x, ctx.output(0), [](T v) { return C(v) < C(0) ? T(C(0)) : v; });  // NaN passes through
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "Relu", .infer = infer_relu, .run = run_relu);

}  // namespace ew
