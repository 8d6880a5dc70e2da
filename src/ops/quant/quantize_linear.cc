// QuantizeLinear: y = saturate(round_half_even(x / y_scale) + y_zero_point).
// Per-tensor (opset 10), per-axis (13), blocked with block_size (21).
#include "ops/quant/quant_layout.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

using quant::QuantLayout;

// Output type: the zero point's type, else output_dtype (opset 21), else uint8.
Result<DType> output_dtype(const Node& node, int64_t opset, DType zp_type) {
  const int64_t attr = opset >= 21 ? node.attr_int("output_dtype", 0) : 0;
  DType from_attr = DType::kUndefined;
  if (attr != 0) {
    auto t = dtype_from_onnx(static_cast<int>(attr));
    if (!t.is_ok()) return t.status();
    from_attr = *t;
  }
  if (zp_type != DType::kUndefined && from_attr != DType::kUndefined && zp_type != from_attr)
    return invalid_argument("output_dtype disagrees with the zero point's type");
  DType out = zp_type != DType::kUndefined ? zp_type : from_attr != DType::kUndefined ? from_attr : DType::kUInt8;
  if (!quant::visit_quant(out, [](auto) {}))
    return unsupported(std::string("quantized type ") + dtype_name(out) + " is not supported");
  return out;
}

Status infer_quantize(InferContext& ctx) {
  if (ctx.num_inputs() < 2 || !ctx.has_input(0)) return ctx.error("expects x and y_scale");
  const DType xt = ctx.input_type(0).dtype;
  if (xt != DType::kUndefined && !is_float(xt) && xt != DType::kInt32)
    return ctx.error(std::string("x must be float or int32, got ") + dtype_name(xt));
  EW_RETURN_IF_ERROR(quant::check_float_input(ctx, 1, "y_scale"));
  const DType zpt = ctx.has_input(2) ? ctx.input_type(2).dtype : DType::kUndefined;
  auto out = output_dtype(ctx.node(), ctx.opset(), zpt);
  if (!out.is_ok()) return ctx.error(out.status().message());
  if (ctx.opset() < 13) EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, 1, "y_scale"));
  ValueType y = ctx.input_type(0);
  y.dtype = *out;
  ctx.set_output(0, y);
  return Status::ok();
}

Result<QuantLayout> layout_for(const KernelContext& ctx) {
  const Shape* zp = ctx.has_input(2) ? &ctx.input(2).shape() : nullptr;
  const int64_t block = ctx.opset() >= 21 ? ctx.node().attr_int("block_size", 0) : 0;
  const int64_t axis = ctx.opset() >= 13 ? ctx.node().attr_int("axis", 1) : 1;
  return quant::make_quant_layout(ctx.input(0).shape(), ctx.input(1).shape(), zp, axis, block);
}

// F is the arithmetic type: float for float inputs (as ONNX Runtime), double for int32.
template <typename X, typename Q, typename F>
void quantize(const Tensor& x, const Tensor& scale, const Tensor* zp, const QuantLayout& l, Tensor& y) {
  const X* px = x.data<X>();
  Q* py = y.data<Q>();
  quant::for_each_quant_element(l, [&](int64_t e, int64_t p) {
    const F s = static_cast<F>(scale.get_double(p));
    py[e] = quant::quantize_value<Q, F>(static_cast<F>(static_cast<compute_t<X>>(px[e])) / s,
                                       quant::zero_point_at(zp, p));
  });
}

Status run_quantize(KernelContext& ctx) {
  auto layout = layout_for(ctx);
  if (!layout.is_ok()) return ctx.error(layout.status().message());
  const Tensor& x = ctx.input(0);
  const Tensor* zp = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  Tensor& y = ctx.output(0);
  bool ok = quant::visit_quant(y.dtype(), [&](auto qtag) {
    using Q = typename decltype(qtag)::type;
    if (x.dtype() == DType::kInt32) {
      quantize<int32_t, Q, double>(x, ctx.input(1), zp, *layout, y);
      return;
    }
    visit_float(x.dtype(), [&](auto xtag) {
      using X = typename decltype(xtag)::type;
      quantize<X, Q, compute_t<X>>(x, ctx.input(1), zp, *layout, y);
    });
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported output type ") + dtype_name(y.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "QuantizeLinear", .since_version = 10, .infer = infer_quantize, .run = run_quantize);

}  // namespace ew
