// DequantizeLinear: y = (x - x_zero_point) * x_scale, computed as ONNX Runtime
// does: float(int32(x) - zero_point) * scale. Per-tensor (opset 10), per-axis
// (13), blocked with block_size (21). The output has the scale's type from opset 19.
#include "ops/quant/quant_layout.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

using quant::QuantLayout;

bool is_dequantizable(DType t) { return quant::visit_quant(t, [](auto) {}) || t == DType::kInt32; }

Status infer_dequantize(InferContext& ctx) {
  if (ctx.num_inputs() < 2 || !ctx.has_input(0)) return ctx.error("expects x and x_scale");
  const DType xt = ctx.input_type(0).dtype;
  if (xt != DType::kUndefined && !is_dequantizable(xt))
    return ctx.error(std::string("x must be an 8/16-bit integer or int32 tensor, got ") + dtype_name(xt));
  EW_RETURN_IF_ERROR(quant::check_float_input(ctx, 1, "x_scale"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, 2, xt, "x_zero_point"));
  if (ctx.opset() < 13) EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, 1, "x_scale"));
  const DType scale_t = ctx.input_type(1).dtype;
  DType out = DType::kFloat32;
  if (ctx.opset() >= 19 && scale_t != DType::kUndefined) out = scale_t;
  if (ctx.opset() < 19 && scale_t != DType::kUndefined && scale_t != DType::kFloat32)
    return ctx.error("x_scale must be float32 before opset 19");
  ValueType y = ctx.input_type(0);
  y.dtype = out;
  ctx.set_output(0, y);
  return Status::ok();
}

template <typename X, typename Y>
void dequantize(const Tensor& x, const Tensor& scale, const Tensor* zp, const QuantLayout& l, Tensor& y) {
  const X* px = x.data<X>();
  Y* py = y.data<Y>();
  quant::for_each_quant_element(l, [&](int64_t e, int64_t p) {
    const int64_t shifted = static_cast<int64_t>(px[e]) - quant::zero_point_at(zp, p);
    py[e] = Y(static_cast<float>(shifted) * quant::scale_at(scale, p));
  });
}

Status run_dequantize(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor* zp = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  const int64_t block = ctx.opset() >= 21 ? ctx.node().attr_int("block_size", 0) : 0;
  const int64_t axis = ctx.opset() >= 13 ? ctx.node().attr_int("axis", 1) : 1;
  auto layout = quant::make_quant_layout(x.shape(), ctx.input(1).shape(), zp ? &zp->shape() : nullptr, axis, block);
  if (!layout.is_ok()) return ctx.error(layout.status().message());
  Tensor& y = ctx.output(0);
  bool ok = false;
  visit_float(y.dtype(), [&](auto ytag) {
    using Y = typename decltype(ytag)::type;
    if (x.dtype() == DType::kInt32) {
      ok = true;
      dequantize<int32_t, Y>(x, ctx.input(1), zp, *layout, y);
      return;
    }
    ok = quant::visit_quant(x.dtype(), [&](auto xtag) {
      using X = typename decltype(xtag)::type;
      dequantize<X, Y>(x, ctx.input(1), zp, *layout, y);
    });
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported input type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "DequantizeLinear", .since_version = 10, .infer = infer_dequantize, .run = run_dequantize);

}  // namespace ew
