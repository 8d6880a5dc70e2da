// ConvInteger: integer convolution of uint8/int8 x and w with zero points
// (x_zero_point per tensor, w_zero_point per tensor or per output channel),
// producing int32.
#include "ops/quant/int_conv.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

Status infer_conv_integer(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.error("expects x and w");
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, 2, ctx.input_type(0).dtype, "x_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, 3, ctx.input_type(1).dtype, "w_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, 2, "x_zero_point"));
  const ValueType& w = ctx.input_type(1);
  const int64_t m = w.has_shape && !w.dims.empty() && w.dims[0].known() ? w.dims[0].value : -1;
  EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, 3, m, "w_zero_point"));
  return quant::infer_int_conv(ctx, 0, 1, DType::kInt32);
}

Status run_conv_integer(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& w = ctx.input(1);
  auto p = quant::int_conv_shape(ctx.node(), x.shape(), w.shape());
  if (!p.is_ok()) return ctx.error(p.status().message());
  auto w_zp = quant::per_channel_zero_points(ctx.has_input(3) ? &ctx.input(3) : nullptr, p->out_channels);
  if (!w_zp.is_ok()) return ctx.error(w_zp.status().message());
  if (ctx.has_input(2) && ctx.input(2).numel() != 1) return ctx.error("x_zero_point must be a scalar");
  const int32_t x_zp = quant::zero_point_at(ctx.has_input(2) ? &ctx.input(2) : nullptr, 0);
  int32_t* y = ctx.output(0).data<int32_t>();
  bool ok = quant::visit_quant8(x.dtype(), [&](auto xt) {
    using X = typename decltype(xt)::type;
    quant::visit_quant8(w.dtype(), [&](auto wt) {
      using W = typename decltype(wt)::type;
      quant::int_conv<X, W>(*p, x.data<X>(), x_zp, w.data<W>(), *w_zp, y);
    });
  });
  return ok ? Status::ok() : ctx.error("x must be uint8 or int8");
}

}  // namespace

EW_REGISTER_OP(.op_type = "ConvInteger", .since_version = 10, .infer = infer_conv_integer, .run = run_conv_integer);

}  // namespace ew
