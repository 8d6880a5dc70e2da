// DynamicQuantizeLinear: quantizes float x to uint8 with a scale and zero
// point computed from the data range (widened to include 0), as ONNX Runtime:
//   scale = (max - min) / 255 (1 when max == min), zp = round(saturate(0 - min / scale)),
//   y = saturate(round(x / scale) + zp).
#include "ops/quant/dynamic_quantize.h"

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
  quant::DynamicParams p;
  if (!quant::dynamic_params(x.data<float>(), x.numel(), &p)) return ctx.error("input contains NaN");
  quant::dynamic_quantize(x.data<float>(), x.numel(), p, ctx.output(0).data<uint8_t>());
  if (ctx.has_output(1)) ctx.output(1).data<float>()[0] = p.scale;
  if (ctx.has_output(2)) ctx.output(2).data<uint8_t>()[0] = static_cast<uint8_t>(p.zero_point);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "DynamicQuantizeLinear", .since_version = 11, .infer = infer_dynamic_quantize,
               .run = run_dynamic_quantize);

}  // namespace ew
