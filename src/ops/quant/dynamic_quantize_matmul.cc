// com.microsoft::DynamicQuantizeMatMul (ONNX Runtime contrib op): A (float) is
// quantized to uint8 at run time over the whole tensor (dynamic_quantize.h),
// multiplied with the int8/uint8 B [K, N] in int32, and scaled back:
//   Y[m, n] = float(sum_k (qa[m,k] - a_zp) * (B[k,n] - b_zp[n])) * (a_scale * b_scale[n]) (+ bias[n])
// b_scale and b_zero_point are scalars or per column [N]. This is what ORT
// fuses DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul into.
#include <vector>

#include "ops/quant/dynamic_quantize.h"
#include "ops/quant/int_matmul.h"

namespace ew {
namespace {

Status infer_dq_matmul(InferContext& ctx) {
  if (ctx.num_inputs() < 3 || !ctx.has_input(0) || !ctx.has_input(1) || !ctx.has_input(2))
    return ctx.error("expects A, B and b_scale");
  if (ctx.input_type(0).dtype != DType::kFloat32) return ctx.error("A must be float32");
  const ValueType& b = ctx.input_type(1);
  if (!quant::is_quant8(b.dtype)) return ctx.error("B must be int8 or uint8");
  if (b.has_shape && b.dims.size() != 2) return ctx.error("B must be a 2-D [K, N] matrix");
  EW_RETURN_IF_ERROR(quant::check_float_input(ctx, 2, "b_scale"));
  EW_RETURN_IF_ERROR(quant::check_dtype(ctx, 3, b.dtype, "b_zero_point"));
  if (b.fully_known()) {
    const int64_t n = b.dims[1].value;
    EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, 2, n, "b_scale"));
    if (ctx.has_input(3)) EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, 3, n, "b_zero_point"));
    if (ctx.has_input(4)) EW_RETURN_IF_ERROR(quant::check_scalar_or_vector(ctx, 4, n, "bias"));
  }
  return quant::infer_matmul_dims(ctx, 0, 1, DType::kFloat32);
}

Status run_dq_matmul(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (b.rank() != 2) return ctx.error("B must be a 2-D [K, N] matrix");
  auto s = quant::make_int_matmul_shape(a.shape(), b.shape());
  if (!s.is_ok()) return ctx.error(s.status().message());
  quant::DynamicParams p;
  if (!quant::dynamic_params(a.data<float>(), a.numel(), &p)) return ctx.error("A contains NaN");
  std::vector<uint8_t> qa(static_cast<size_t>(a.numel()));
  quant::dynamic_quantize(a.data<float>(), a.numel(), p, qa.data());
  std::vector<int32_t> a_zp(static_cast<size_t>(quant::matrix_count(a.shape()) * s->m), p.zero_point);
  auto b_zp = quant::row_zero_points(ctx.has_input(3) ? &ctx.input(3) : nullptr, 1, s->n);
  if (!b_zp.is_ok()) return ctx.error("b_zero_point: " + b_zp.status().message());
  auto b_scale = quant::per_channel_scales(ctx.input(2), s->n);
  if (!b_scale.is_ok()) return ctx.error("b_scale: " + b_scale.status().message());
  const Tensor* bias = ctx.has_input(4) ? &ctx.input(4) : nullptr;
  if (bias && bias->numel() != 1 && bias->numel() != s->n) return ctx.error("bias must hold 1 or N values");
  std::vector<int32_t> acc(static_cast<size_t>(ctx.output(0).numel()));
  bool ok = quant::visit_quant8(b.dtype(), [&](auto bt) {
    using B = typename decltype(bt)::type;
    quant::int_matmul<uint8_t, B>(*s, qa.data(), a_zp, b.data<B>(), *b_zp, acc.data());
  });
  if (!ok) return ctx.error("B must be int8 or uint8");
  float* y = ctx.output(0).data<float>();
  for (size_t i = 0; i < acc.size(); ++i) {
    const int64_t n = static_cast<int64_t>(i) % s->n;
    const float add = bias ? static_cast<float>(bias->get_double(bias->numel() == 1 ? 0 : n)) : 0.0f;
    y[i] = static_cast<float>(acc[i]) * (p.scale * (*b_scale)[n]) + add;
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "DynamicQuantizeMatMul", .domain = "com.microsoft", .since_version = 1,
               .infer = infer_dq_matmul, .run = run_dq_matmul);

}  // namespace ew
