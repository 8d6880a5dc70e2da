// QLinearConv: integer convolution with int32 accumulators (plus the int32
// bias), requantized as ONNX Runtime does: multiplier = x_scale * w_scale[m] /
// y_scale in float, y = saturate(round_half_even(acc * multiplier) + y_zero_point).
// w_scale and w_zero_point may be per output channel.
#include "ops/quant/int_conv.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kX, kXScale, kXZp, kW, kWScale, kWZp, kYScale, kYZp, kBias };

Status infer_qlinear_conv(InferContext& ctx) {
  if (ctx.num_inputs() < 8) return ctx.error("expects at least 8 inputs");
  for (int i : {kX, kXScale, kW, kWScale, kYScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType xt = ctx.input_type(kX).dtype, wt = ctx.input_type(kW).dtype;
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kXZp, xt, "x_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kWZp, wt, "w_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kBias, DType::kInt32, "B"));
  for (int i : {kXScale, kWScale, kYScale}) EW_RETURN_IF_ERROR(quant::check_float_input(ctx, i, "scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kXScale, "x_scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kXZp, "x_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kYScale, "y_scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, kYZp, "y_zero_point"));
  const ValueType& w = ctx.input_type(kW);
  const int64_t m = w.has_shape && !w.dims.empty() && w.dims[0].known() ? w.dims[0].value : -1;
  EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, kWScale, m, "w_scale"));
  EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, kWZp, m, "w_zero_point"));
  EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, kBias, m, "B"));
  const DType yt = ctx.has_input(kYZp) ? ctx.input_type(kYZp).dtype : xt;
  if (yt != DType::kUndefined && !quant::is_quant8(yt)) return ctx.error("y_zero_point must be uint8 or int8");
  return quant::infer_int_conv(ctx, kX, kW, yt);
}

// Per-channel multipliers x_scale * w_scale[m] / y_scale, in ONNX Runtime's order.
Result<std::vector<float>> output_scales(const KernelContext& ctx, int64_t m) {
  EW_ASSIGN_OR_RETURN(std::vector<float> w_scale, quant::per_channel_scales(ctx.input(kWScale), m));
  const float x_scale = quant::scale_at(ctx.input(kXScale), 0);
  const float y_scale = quant::scale_at(ctx.input(kYScale), 0);
  for (float& s : w_scale) s = x_scale * s / y_scale;
  return w_scale;
}

template <typename Y>
void requantize_all(const quant::IntConvShape& p, const int32_t* acc, const std::vector<int32_t>& bias,
                    const std::vector<float>& scales, int32_t y_zp, Y* y) {
  const int64_t plane = p.out_plane();
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t m = 0; m < p.out_channels; ++m) {
      const int64_t base = (n * p.out_channels + m) * plane;
      for (int64_t i = 0; i < plane; ++i) y[base + i] = quant::requantize<Y>(acc[base + i] + bias[m], scales[m], y_zp);
    }
}

Status run_qlinear_conv(KernelContext& ctx) {
  const Tensor& x = ctx.input(kX);
  const Tensor& w = ctx.input(kW);
  auto p = quant::int_conv_shape(ctx.node(), x.shape(), w.shape());
  if (!p.is_ok()) return ctx.error(p.status().message());
  auto scales = output_scales(ctx, p->out_channels);
  if (!scales.is_ok()) return ctx.error(scales.status().message());
  auto w_zp = quant::per_channel_zero_points(ctx.has_input(kWZp) ? &ctx.input(kWZp) : nullptr, p->out_channels);
  if (!w_zp.is_ok()) return ctx.error(w_zp.status().message());
  std::vector<int32_t> bias(static_cast<size_t>(p->out_channels), 0);
  if (ctx.has_input(kBias)) {
    if (ctx.input(kBias).numel() != p->out_channels) return ctx.error("B must have one value per output channel");
    const int32_t* b = ctx.input(kBias).data<int32_t>();
    bias.assign(b, b + p->out_channels);
  }
  const int32_t x_zp = quant::zero_point_at(ctx.has_input(kXZp) ? &ctx.input(kXZp) : nullptr, 0);
  const int32_t y_zp = quant::zero_point_at(ctx.has_input(kYZp) ? &ctx.input(kYZp) : nullptr, 0);
  std::vector<int32_t> acc(static_cast<size_t>(ctx.output(0).numel()));
  bool ok = quant::visit_quant8(x.dtype(), [&](auto xt) {
    using X = typename decltype(xt)::type;
    quant::visit_quant8(w.dtype(), [&](auto wt) {
      using W = typename decltype(wt)::type;
      quant::int_conv<X, W>(*p, x.data<X>(), x_zp, w.data<W>(), *w_zp, acc.data());
    });
  });
  if (!ok) return ctx.error("x must be uint8 or int8");
  Tensor& y = ctx.output(0);
  quant::visit_quant8(y.dtype(), [&](auto yt) {
    using Y = typename decltype(yt)::type;
    requantize_all<Y>(*p, acc.data(), bias, *scales, y_zp, y.data<Y>());
  });
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearConv", .since_version = 10, .infer = infer_qlinear_conv, .run = run_qlinear_conv);

}  // namespace ew
