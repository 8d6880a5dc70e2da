#include "ops/quant/fast/qlinear_conv_params.h"

#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/quant_util.h"

namespace ew::quant::fast {
namespace {

enum Input { kX, kXScale, kXZp, kW, kWScale, kWZp, kYScale, kYZp, kBias };

bool present(const PrepareContext& ctx, int i) {
  return i < static_cast<int>(ctx.input_types.size()) && ctx.node.has_input(i) &&
         ctx.input_types[i].dtype != DType::kUndefined;
}
const Tensor* constant(const PrepareContext& ctx, int i) {
  return present(ctx, i) && i < static_cast<int>(ctx.input_values.size()) ? ctx.input_values[i] : nullptr;
}

// Every parameter input is a constant when present; the required ones are present.
bool constants_ready(const PrepareContext& ctx) {
  for (int i : {kXScale, kW, kWScale, kYScale})
    if (!constant(ctx, i)) return false;
  for (int i : {kXZp, kWZp, kYZp, kBias})
    if (present(ctx, i) && !constant(ctx, i)) return false;
  return ctx.input_types.size() <= 9;
}

bool read_quant_values(const PrepareContext& ctx, QConvParams* p) {
  const int64_t m = p->shape.out_channels;
  auto w_scale = per_channel_scales(*constant(ctx, kWScale), m);
  auto w_zp = per_channel_zero_points(constant(ctx, kWZp), m);
  if (!w_scale.is_ok() || !w_zp.is_ok()) return false;
  if (constant(ctx, kXScale)->numel() != 1 || constant(ctx, kYScale)->numel() != 1) return false;
  for (int i : {kXZp, kYZp})
    if (constant(ctx, i) && constant(ctx, i)->numel() != 1) return false;
  const float x_scale = scale_at(*constant(ctx, kXScale), 0);
  const float y_scale = scale_at(*constant(ctx, kYScale), 0);
  p->scale = std::move(w_scale).value();
  for (float& s : p->scale) s = x_scale * s / y_scale;
  p->w_zp = std::move(w_zp).value();
  p->x_zp = zero_point_at(constant(ctx, kXZp), 0);
  p->y_zp = zero_point_at(constant(ctx, kYZp), 0);
  p->bias.assign(static_cast<size_t>(m), 0);
  if (const Tensor* b = constant(ctx, kBias)) {
    if (b->dtype() != DType::kInt32 || b->numel() != m) return false;
    p->bias.assign(b->data<int32_t>(), b->data<int32_t>() + m);
  }
  return true;
}

}  // namespace

int pool_workers(pthreadpool_t pool) {
  const size_t n = pool ? pthreadpool_get_threads_count(pool) : 1;
  return static_cast<int>(n < 1 ? 1 : n);
}

bool read_qconv_params(const PrepareContext& ctx, QConvParams* p) {
  if (!int8_kernels_supported() || ctx.input_types.size() < 8 || ctx.output_types.empty()) return false;
  if (!present(ctx, kX) || !constants_ready(ctx)) return false;
  const ValueType& xt = ctx.input_types[kX];
  const ValueType& yt = ctx.output_types[0];
  const Tensor* w = constant(ctx, kW);
  if (!xt.fully_known() || !yt.fully_known() || xt.dims.size() != 4 || w->rank() != 4) return false;
  if (!is_quant8(xt.dtype) || !is_quant8(w->dtype()) || !is_quant8(yt.dtype)) return false;
  for (int i : {kXZp, kYZp, kWZp})
    if (constant(ctx, i) && !is_quant8(constant(ctx, i)->dtype())) return false;
  auto shape = int_conv_shape(ctx.node, xt.concrete_shape(), w->shape());
  if (!shape.is_ok() || shape->batch < 1 || shape->out_plane() < 1) return false;
  const IntConvShape& s = shape.value();
  if (yt.concrete_shape() != Shape{s.batch, s.out_channels, s.out[1], s.out[2]}) return false;
  p->shape = s;
  p->x_signed = xt.dtype == DType::kInt8;
  p->w_unsigned = w->dtype() == DType::kUInt8;
  p->y_signed = yt.dtype == DType::kInt8;
  p->w = w;
  return read_quant_values(ctx, p);
}

}  // namespace ew::quant::fast
