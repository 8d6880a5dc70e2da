// com.microsoft QLinearGlobalAveragePool: mean over the spatial dims of a
// quantized tensor, NCHW or (channels_last = 1) NHWC, as ONNX Runtime does:
// acc = sum(x) - zx * size (int32), y = saturate(round(acc * sx / (sy * size)) + zy).
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kX, kXScale, kXZp, kYScale, kYZp };

Status infer_qlinear_gap(InferContext& ctx) {
  for (int i : {kX, kXScale, kYScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType t = ctx.input_type(kX).dtype;
  if (t != DType::kUndefined && !quant::is_quant8(t)) return ctx.error("X must be uint8 or int8");
  for (int i : {kXZp, kYZp}) EW_RETURN_IF_ERROR(quant::check_dtype(ctx, i, t, "zero point"));
  for (int i : {kXScale, kXZp, kYScale, kYZp}) EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, i, "scale and zero point"));
  const ValueType& x = ctx.input_type(kX);
  if (!x.has_shape) {
    ctx.set_output_dtype_only(0, t);
    return Status::ok();
  }
  if (x.dims.size() < 3) return ctx.error("X must have rank >= 3, got " + x.to_string());
  const bool last = ctx.node().attr_int("channels_last", 0) != 0;
  std::vector<Dim> dims(x.dims.size(), Dim(1));
  dims[0] = x.dims[0];
  const size_t c = last ? x.dims.size() - 1 : 1;
  dims[c] = x.dims[c];
  ctx.set_output(0, t, dims);
  return Status::ok();
}

template <typename T>
void global_average(const Tensor& x, bool last, float scale, int32_t zx, int32_t zy, T* y) {
  const Shape& s = x.shape();
  const int64_t n = s[0], c = last ? s.back() : s[1];
  const int64_t size = c == 0 || n == 0 ? 0 : x.numel() / (n * c);
  const int64_t step = last ? c : 1, stride = last ? 1 : size;  // element step within an image; channel stride
  const int32_t bias = -zx * static_cast<int32_t>(size);
  const T* px = x.data<T>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch) {
      const T* p = px + b * c * size + ch * stride;
      int32_t acc = bias;
      for (int64_t i = 0; i < size; ++i) acc += static_cast<int32_t>(p[i * step]);
      y[b * c + ch] = quant::requantize<T>(acc, scale, zy);
    }
}

Status run_qlinear_gap(KernelContext& ctx) {
  const Tensor& x = ctx.input(kX);
  const bool last = ctx.node().attr_int("channels_last", 0) != 0;
  const int64_t nc = x.dim(0) * (last ? x.shape().back() : x.dim(1));
  const int64_t size = nc == 0 ? 0 : x.numel() / nc;
  if (size >= (int64_t{1} << 24)) return ctx.error("spatial size too large for int32 accumulation");
  auto zp = [&](int i) { return quant::zero_point_at(ctx.has_input(i) ? &ctx.input(i) : nullptr, 0); };
  const float scale = quant::scale_at(ctx.input(kXScale), 0) /
                      (quant::scale_at(ctx.input(kYScale), 0) * static_cast<float>(size));
  bool ok = quant::visit_quant8(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    global_average<T>(x, last, scale, zp(kXZp), zp(kYZp), ctx.output(0).template data<T>());
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearGlobalAveragePool", .domain = "com.microsoft", .since_version = 1,
               .infer = infer_qlinear_gap, .run = run_qlinear_gap);

}  // namespace ew
