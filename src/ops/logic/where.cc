// Where: out = condition ? X : Y, with three-way multidirectional broadcasting.

#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_where(InferContext& ctx) {
  if (ctx.num_inputs() != 3) return ctx.error("expects 3 inputs (condition, X, Y)");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_bool, "bool"));
  for (int i = 1; i < 3; ++i) EW_RETURN_IF_ERROR(check_input_dtype(ctx, i, is_any, "a tensor type"));
  DType x = ctx.input_type(1).dtype, y = ctx.input_type(2).dtype;
  if (x != y && x != DType::kUndefined && y != DType::kUndefined)
    return ctx.error(std::string("X and Y types differ: ") + dtype_name(x) + " and " + dtype_name(y));
  EW_RETURN_IF_ERROR(infer_broadcast(ctx, x == DType::kUndefined ? y : x));
  return Status::ok();
}

Status run_where(KernelContext& ctx) {
  const Tensor& c = ctx.input(0);
  const Tensor& x = ctx.input(1);
  const Tensor& y = ctx.input(2);
  if (c.dtype() != DType::kBool || x.dtype() != y.dtype()) return ctx.error("expects bool condition and X, Y of one type");
  Tensor& out = ctx.output(0);
  const bool* pc = c.data<bool>();
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* px = x.data<T>();
    const T* py = y.data<T>();
    T* po = out.data<T>();
    broadcast_for_each<3>(out.shape(), {&c.shape(), &x.shape(), &y.shape()},
                          [&](int64_t o, const std::array<int64_t, 3>& in) { po[o] = pc[in[0]] ? px[in[1]] : py[in[2]]; });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "Where", .since_version = 9, .infer = infer_where, .run = run_where);

}  // namespace ew
