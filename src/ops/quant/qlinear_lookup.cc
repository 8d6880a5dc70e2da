// com.microsoft QLinearSigmoid and QLinearLeakyRelu: a float function applied
// to dequantized values, requantized; computed through a 256-entry table as
// ONNX Runtime does: y = saturate(round(f(sx * (x - zx)) / sy) + zy).
#include <array>
#include <cmath>

#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kX, kXScale, kXZp, kYScale, kYZp };

Status infer_qlinear_lookup(InferContext& ctx) {
  for (int i : {kX, kXScale, kYScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType t = ctx.input_type(kX).dtype;
  if (t != DType::kUndefined && !quant::is_quant8(t)) return ctx.error("X must be uint8 or int8");
  for (int i : {kXZp, kYZp}) EW_RETURN_IF_ERROR(quant::check_dtype(ctx, i, t, "zero point"));
  for (int i : {kXScale, kXZp, kYScale, kYZp}) EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, i, "scale and zero point"));
  ctx.set_output(0, ctx.input_type(kX));
  return Status::ok();
}

template <typename F>
Status run_lookup(KernelContext& ctx, F f) {
  const Tensor& x = ctx.input(kX);
  auto zp = [&](int i) { return quant::zero_point_at(ctx.has_input(i) ? &ctx.input(i) : nullptr, 0); };
  const float sx = quant::scale_at(ctx.input(kXScale), 0), sy = quant::scale_at(ctx.input(kYScale), 0);
  const int32_t zx = zp(kXZp), zy = zp(kYZp);
  bool ok = quant::visit_quant8(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::array<T, 256> table;
    for (int i = 0; i < 256; ++i) {
      const T v = static_cast<T>(i);
      table[static_cast<uint8_t>(v)] = quant::quantize_value<T>(f(sx * static_cast<float>(v - zx)) / sy, zy);
    }
    const T* px = x.data<T>();
    T* py = ctx.output(0).template data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) py[i] = table[static_cast<uint8_t>(px[i])];
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

Status run_sigmoid(KernelContext& ctx) {
  return run_lookup(ctx, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
}

Status run_leaky_relu(KernelContext& ctx) {
  const float alpha = ctx.node().attr_float("alpha", 0.01f);
  return run_lookup(ctx, [alpha](float v) { return v >= 0 ? v : v * alpha; });
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearSigmoid", .domain = "com.microsoft", .since_version = 1,
               .infer = infer_qlinear_lookup, .run = run_sigmoid);
EW_REGISTER_OP(.op_type = "QLinearLeakyRelu", .domain = "com.microsoft", .since_version = 1,
               .infer = infer_qlinear_lookup, .run = run_leaky_relu);

}  // namespace ew
