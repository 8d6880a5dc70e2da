// com.microsoft::MatMulNBits: Y[..., N] = A[..., K] x dequantize(B)^T (+ bias),
// B block-quantized to 2, 4 or 8 bits (see nbits_layout.h). The reference
// dequantizes one column at a time and accumulates in float, in k order.
#include <vector>

#include "ops/quant/nbits_layout.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace quant {

Result<NBitsLayout> nbits_layout(const Node& node) {
  NBitsLayout l;
  l.K = node.attr_int("K", 0);
  l.N = node.attr_int("N", 0);
  l.bits = node.attr_int("bits", 4);
  l.block_size = node.attr_int("block_size", 0);
  if (l.K <= 0 || l.N <= 0) return invalid_argument("attributes K and N must be positive");
  if (l.bits != 2 && l.bits != 4 && l.bits != 8) return invalid_argument("bits must be 2, 4 or 8");
  if (l.block_size < 16 || (l.block_size & (l.block_size - 1)) != 0)
    return invalid_argument("block_size must be a power of two >= 16");
  l.blocks = (l.K + l.block_size - 1) / l.block_size;
  l.blob_bytes = l.block_size * l.bits / 8;
  l.zp_row_bytes = (l.blocks * l.bits + 7) / 8;
  return l;
}

float nbits_zero_point(const NBitsLayout& l, const Tensor* zp, int64_t n, int64_t b) {
  if (!zp) return static_cast<float>(1 << (l.bits - 1));
  if (zp->dtype() == DType::kUInt8) return static_cast<float>(l.value(zp->data<uint8_t>() + n * l.zp_row_bytes, b));
  return static_cast<float>(zp->get_double(n * l.blocks + b));
}

}  // namespace quant

namespace {

using quant::NBitsLayout;

Status check_params(const InferContext& ctx, const NBitsLayout& l) {
  const ValueType& b = ctx.input_type(1);
  if (b.dtype != DType::kUInt8) return ctx.error("B must be uint8");
  if (b.fully_known() && b.concrete_shape() != Shape{l.N, l.blocks, l.blob_bytes})
    return ctx.error("B must have shape [N, ceil(K/block_size), block_size*bits/8] = [" + std::to_string(l.N) + "," +
                     std::to_string(l.blocks) + "," + std::to_string(l.blob_bytes) + "]");
  const ValueType& s = ctx.input_type(2);
  if (s.fully_known() && quant::static_numel(s) != l.N * l.blocks)
    return ctx.error("scales must hold N * ceil(K/block_size) values");
  if (ctx.has_input(3)) {
    const ValueType& z = ctx.input_type(3);
    const int64_t want = z.dtype == DType::kUInt8 ? l.N * l.zp_row_bytes : l.N * l.blocks;
    if (z.fully_known() && quant::static_numel(z) != want) return ctx.error("zero_points has the wrong size");
  }
  if (ctx.has_input(4)) return ctx.error("g_idx (act-order) is not supported");
  if (ctx.has_input(5) && ctx.input_type(5).fully_known() && quant::static_numel(ctx.input_type(5)) != l.N)
    return ctx.error("bias must hold N values");
  return Status::ok();
}

Status infer_matmul_nbits(InferContext& ctx) {
  if (ctx.num_inputs() < 3 || !ctx.has_input(0) || !ctx.has_input(1) || !ctx.has_input(2))
    return ctx.error("expects A, B and scales");
  auto l = quant::nbits_layout(ctx.node());
  if (!l.is_ok()) return ctx.error(l.status().message());
  const ValueType& a = ctx.input_type(0);
  if (a.dtype != DType::kFloat32) return ctx.error("A must be float32");
  EW_RETURN_IF_ERROR(check_params(ctx, *l));
  if (!a.has_shape) {
    ctx.set_output_dtype_only(0, DType::kFloat32);
    return Status::ok();
  }
  if (a.dims.empty()) return ctx.error("A must have rank >= 1");
  const Dim& k = a.dims.back();
  if (k.known() && k.value != l->K) return ctx.error("A's last dim is not K = " + std::to_string(l->K));
  std::vector<Dim> out(a.dims.begin(), a.dims.end() - 1);
  out.push_back(Dim(l->N));
  ctx.set_output(0, DType::kFloat32, out);
  return Status::ok();
}

// Column n of the weight, dequantized: w[k] for k < K.
void dequantize_column(const NBitsLayout& l, const KernelContext& ctx, int64_t n, float* w) {
  const uint8_t* row = ctx.input(1).data<uint8_t>() + n * l.blocks * l.blob_bytes;
  const Tensor& scales = ctx.input(2);
  const Tensor* zp = ctx.has_input(3) ? &ctx.input(3) : nullptr;
  for (int64_t b = 0; b < l.blocks; ++b) {
    const float scale = quant::scale_at(scales, n * l.blocks + b);
    const float z = quant::nbits_zero_point(l, zp, n, b);
    const uint8_t* blob = row + b * l.blob_bytes;
    for (int64_t i = 0; i < l.block_size && b * l.block_size + i < l.K; ++i)
      w[b * l.block_size + i] = (static_cast<float>(l.value(blob, i)) - z) * scale;
  }
}

Status run_matmul_nbits(KernelContext& ctx) {
  auto l = quant::nbits_layout(ctx.node());
  if (!l.is_ok()) return ctx.error(l.status().message());
  const Tensor& a = ctx.input(0);
  if (a.rank() == 0 || a.shape().back() != l->K) return ctx.error("A's last dim is not K");
  if (ctx.input(1).numel() != l->N * l->blocks * l->blob_bytes) return ctx.error("B has the wrong size");
  if (ctx.input(2).numel() != l->N * l->blocks) return ctx.error("scales has the wrong size");
  const int64_t rows = a.numel() / l->K;
  Tensor& y = ctx.output(0);
  const float* pa = a.data<float>();
  float* py = y.data<float>();
  const Tensor* bias = ctx.has_input(5) ? &ctx.input(5) : nullptr;
  std::vector<float> w(static_cast<size_t>(l->K));
  for (int64_t n = 0; n < l->N; ++n) {
    dequantize_column(*l, ctx, n, w.data());
    const float add = bias ? static_cast<float>(bias->get_double(n)) : 0.0f;
    for (int64_t m = 0; m < rows; ++m) {
      float acc = 0.0f;
      for (int64_t k = 0; k < l->K; ++k) acc += pa[m * l->K + k] * w[k];
      py[m * l->N + n] = acc + add;
    }
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "MatMulNBits", .domain = "com.microsoft", .since_version = 1, .infer = infer_matmul_nbits,
               .run = run_matmul_nbits);

}  // namespace ew
