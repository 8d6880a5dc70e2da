// And, Or, Xor (bool, broadcasting) and Not (bool, elementwise).
#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_logical_binary(InferContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.error("expects 2 inputs");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_bool, "bool"));
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 1, is_bool, "bool"));
  return infer_broadcast(ctx, DType::kBool);
}

template <typename F>
Status run_logical(KernelContext& ctx, F f) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (a.dtype() != DType::kBool || b.dtype() != DType::kBool) return ctx.error("inputs must be bool");
  binary_broadcast<bool, bool>(a, b, ctx.output(0), f);
  return Status::ok();
}

Status run_and(KernelContext& ctx) { return run_logical(ctx, [](bool x, bool y) { return x && y; }); }
Status run_or(KernelContext& ctx) { return run_logical(ctx, [](bool x, bool y) { return x || y; }); }
Status run_xor(KernelContext& ctx) { return run_logical(ctx, [](bool x, bool y) { return x != y; }); }

Status run_not(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  if (x.dtype() != DType::kBool) return unsupported_dtype(ctx, x.dtype());
  unary_map<bool, bool>(x, ctx.output(0), [](bool v) { return !v; });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "And", .since_version = 7, .infer = infer_logical_binary, .run = run_and);
EW_REGISTER_OP(.op_type = "Or", .since_version = 7, .infer = infer_logical_binary, .run = run_or);
EW_REGISTER_OP(.op_type = "Xor", .since_version = 7, .infer = infer_logical_binary, .run = run_xor);
EW_REGISTER_OP(.op_type = "Not", .since_version = 1, .infer = infer_unary<is_bool>, .run = run_not);

}  // namespace ew
