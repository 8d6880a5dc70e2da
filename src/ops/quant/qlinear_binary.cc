// com.microsoft QLinearAdd and QLinearMul: broadcast elementwise ops on
// quantized tensors, with ONNX Runtime's x86 arithmetic:
//   Add: c = saturate(round((sa * (a - za) + sb * (b - zb)) / sc) + zc)
//   Mul: c = saturate(round(float((a - za) * (b - zb)) * (sa * sb / sc) + zc))
#include "ops/broadcast.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kA, kAScale, kAZp, kB, kBScale, kBZp, kCScale, kCZp };

struct BinaryParams {
  float sa, sb, sc;
  int32_t za, zb, zc;
};

Status infer_qlinear_binary(InferContext& ctx) {
  for (int i : {kA, kAScale, kB, kBScale, kCScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType t = ctx.input_type(kA).dtype;
  if (t != DType::kUndefined && !quant::is_quant8(t)) return ctx.error("A must be uint8 or int8");
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, kB, t, "B"));
  for (int i : {kAZp, kBZp, kCZp}) EW_RETURN_IF_ERROR(quant::check_dtype(ctx, i, t, "zero point"));
  for (int i : {kAScale, kAZp, kBScale, kBZp, kCScale, kCZp})
    EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, i, "scale and zero point"));
  const ValueType& a = ctx.input_type(kA);
  const ValueType& b = ctx.input_type(kB);
  if (!a.has_shape || !b.has_shape) {
    ctx.set_output_dtype_only(0, t);
    return Status::ok();
  }
  auto dims = broadcast_dims(a.dims, b.dims);
  if (!dims.is_ok()) return ctx.error(dims.status().message());
  ctx.set_output(0, t, *dims);
  return Status::ok();
}

BinaryParams read_params(const KernelContext& ctx) {
  auto zp = [&](int i) { return quant::zero_point_at(ctx.has_input(i) ? &ctx.input(i) : nullptr, 0); };
  return {quant::scale_at(ctx.input(kAScale), 0), quant::scale_at(ctx.input(kBScale), 0),
          quant::scale_at(ctx.input(kCScale), 0), zp(kAZp), zp(kBZp), zp(kCZp)};
}

template <typename T>
T add_one(T a, T b, const BinaryParams& p) {
  const float va = static_cast<float>(static_cast<int32_t>(a) - p.za) * p.sa;
  const float vb = static_cast<float>(static_cast<int32_t>(b) - p.zb) * p.sb;
  return quant::quantize_value<T>((va + vb) / p.sc, p.zc);
}

template <typename T>
T mul_one(T a, T b, float ratio, const BinaryParams& p) {
  const int32_t prod = (static_cast<int32_t>(a) - p.za) * (static_cast<int32_t>(b) - p.zb);
  return quant::quantize_value<T>(static_cast<float>(prod) * ratio + static_cast<float>(p.zc), 0);
}

template <bool kMul>
Status run_qlinear_binary(KernelContext& ctx) {
  const Tensor& a = ctx.input(kA);
  const Tensor& b = ctx.input(kB);
  if (a.dtype() != b.dtype()) return ctx.error("A and B types differ");
  const BinaryParams p = read_params(ctx);
  const float ratio = p.sa * p.sb / p.sc;
  bool ok = quant::visit_quant8(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (kMul) {
      binary_broadcast<T, T>(a, b, ctx.output(0), [&](T x, T y) { return mul_one<T>(x, y, ratio, p); });
    } else {
      binary_broadcast<T, T>(a, b, ctx.output(0), [&](T x, T y) { return add_one<T>(x, y, p); });
    }
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(a.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearAdd", .domain = "com.microsoft", .since_version = 1, .infer = infer_qlinear_binary,
               .run = run_qlinear_binary<false>);
EW_REGISTER_OP(.op_type = "QLinearMul", .domain = "com.microsoft", .since_version = 1, .infer = infer_qlinear_binary,
               .run = run_qlinear_binary<true>);

}  // namespace ew
