// DynamicQuantizeLinear: quantizes float x to uint8 with a scale and zero
// point computed from the data range (widened to include 0), as ONNX Runtime:
//   scale = (max - min) / 255 (1 when max == min), zp = round(saturate(0 - min / scale)),
//   y = saturate(round(x / scale) + zp).
#include <algorithm>

#include "ops/quant/quant_util.h"

namespace ew {
namespace {

Status infer_dynamic_quantize(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("expects input x");
  const DType xt = ctx.input_type(0).dtype;
  if (xt != DType::kUndefined && xt != DType::kFloat32)
    return ctx.error(std::string("x must be float32, got ") + dtype_name(xt));
  ValueType y = ctx.input_type(0);
  y.dtype = DType::kUInt8;
  ctx.set_output(0, y);
  ctx.set_output(1, DType::kFloat32, Shape{});
  ctx.set_output(2, DType::kUInt8, Shape{});
  return Status::ok();
}

Status run_dynamic_quantize(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const float* px = x.data<float>();
  float lo = 0.0f, hi = 0.0f;  // the range always includes 0
  for (int64_t i = 0; i < x.numel(); ++i) {
    if (std::isnan(px[i])) return ctx.error("input contains NaN");
    lo = std::min(lo, px[i]);
    hi = std::max(hi, px[i]);
  }
  const float scale = hi == lo ? 1.0f : (hi - lo) / 255.0f;
  const float zp_f = std::clamp(0.0f - lo / scale, 0.0f, 255.0f);
  const int32_t zp = static_cast<int32_t>(std::nearbyint(zp_f));
  uint8_t* py = ctx.output(0).data<uint8_t>();
  for (int64_t i = 0; i < x.numel(); ++i) py[i] = quant::quantize_value<uint8_t>(px[i] / scale, zp);
  if (ctx.has_output(1)) ctx.output(1).data<float>()[0] = scale;
  if (ctx.has_output(2)) ctx.output(2).data<uint8_t>()[0] = static_cast<uint8_t>(zp);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "DynamicQuantizeLinear", .since_version = 11, .infer = infer_dynamic_quantize,
               .run = run_dynamic_quantize);

}  // namespace ew
