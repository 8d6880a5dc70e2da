// MatMulInteger: numpy-style matmul of uint8/int8 A and B with zero points
// (per tensor, per A row, per B column), producing int32.
#include "ops/quant/int_matmul.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

Status infer_matmul_integer(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.error("expects A and B");
  const DType at = ctx.input_type(0).dtype, bt = ctx.input_type(1).dtype;
  if (at != DType::kUndefined && !quant::is_quant8(at)) return ctx.error("A must be uint8 or int8");
  if (bt != DType::kUndefined && !quant::is_quant8(bt)) return ctx.error("B must be uint8 or int8");
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, 2, at, "a_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, 3, bt, "b_zero_point"));
  return quant::infer_matmul_dims(ctx, 0, 1, DType::kInt32);
}

Status run_matmul_integer(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  auto s = quant::make_int_matmul_shape(a.shape(), b.shape());
  if (!s.is_ok()) return ctx.error(s.status().message());
  auto a_zp = quant::row_zero_points(ctx.has_input(2) ? &ctx.input(2) : nullptr, quant::matrix_count(a.shape()), s->m);
  if (!a_zp.is_ok()) return ctx.error("a_zero_point: " + a_zp.status().message());
  auto b_zp = quant::row_zero_points(ctx.has_input(3) ? &ctx.input(3) : nullptr, quant::matrix_count(b.shape()), s->n);
  if (!b_zp.is_ok()) return ctx.error("b_zero_point: " + b_zp.status().message());
  int32_t* y = ctx.output(0).data<int32_t>();
  bool ok = quant::visit_quant8(a.dtype(), [&](auto at) {
    using A = typename decltype(at)::type;
    quant::visit_quant8(b.dtype(), [&](auto bt) {
      using B = typename decltype(bt)::type;
      quant::int_matmul<A, B>(*s, a.data<A>(), *a_zp, b.data<B>(), *b_zp, y);
    });
  });
  return ok ? Status::ok() : ctx.error("A must be uint8 or int8");
}

}  // namespace

EW_REGISTER_OP(.op_type = "MatMulInteger", .since_version = 10, .infer = infer_matmul_integer,
               .run = run_matmul_integer);

}  // namespace ew
