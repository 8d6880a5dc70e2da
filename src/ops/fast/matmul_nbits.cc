// Fast com.microsoft::MatMulNBits: the weight stays block-quantized in memory;
// each run dequantizes it a slab of kSlab output columns at a time into a
// bounded scratch (already in sgemm's packed-panel layout) and multiplies the
// whole A by that slab with sgemm. Scratch: K x kSlab floats, however large N.
// Sums over K run in sgemm's order, so results equal the reference within
// float rounding, not bit for bit.
#include <algorithm>

#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"
#include "ops/quant/nbits_layout.h"
#include "ops/quant/quant_util.h"

namespace ew::fast {
namespace {

constexpr int64_t kSlab = 64;  // output columns dequantized per step (4 sgemm panels)

class MatMulNBitsKernel final : public PreparedKernel {
 public:
  quant::NBitsLayout l;
  int64_t rows = 0;
  std::vector<float> scales, zero_points;  // per (column, block)
  Tensor panel;                            // kSlab x K floats, packed for sgemm

  Status run(KernelContext& ctx) override {
    const uint8_t* b = ctx.input(1).data<uint8_t>();
    const float* a = ctx.input(0).data<float>();
    float* y = ctx.output(0).data<float>();
    const Tensor* bias = ctx.has_input(5) ? &ctx.input(5) : nullptr;
    for (int64_t n0 = 0; n0 < l.N; n0 += kSlab) {
      const int64_t nb = std::min(kSlab, l.N - n0);
      dequantize_slab(b, n0, nb);
      SgemmShape s{.M = rows, .N = nb, .K = l.K, .rsa = l.K, .csa = 1, .ldc = l.N};
      sgemm(s, a, panel.data<float>(), y + n0, ctx.threadpool());
    }
    if (bias)
      for (int64_t m = 0; m < rows; ++m)
        for (int64_t n = 0; n < l.N; ++n) y[m * l.N + n] += static_cast<float>(bias->get_double(n));
    return Status::ok();
  }

 private:
  // Columns [n0, n0 + nb) into `panel`: panel p holds columns n0 + 16p..,
  // K rows of kSgemmNR floats each, zero-padded past nb.
  void dequantize_slab(const uint8_t* b, int64_t n0, int64_t nb) {
    float* dst = panel.data<float>();
    std::fill(dst, dst + packed_b_size(l.K, nb), 0.0f);
    for (int64_t j = 0; j < nb; ++j) {
      const int64_t n = n0 + j;
      float* col = dst + (j / kSgemmNR) * l.K * kSgemmNR + j % kSgemmNR;
      const uint8_t* row = b + n * l.blocks * l.blob_bytes;
      for (int64_t blk = 0; blk < l.blocks; ++blk) {
        const float scale = scales[n * l.blocks + blk], zp = zero_points[n * l.blocks + blk];
        const uint8_t* blob = row + blk * l.blob_bytes;
        const int64_t k0 = blk * l.block_size, count = std::min(l.block_size, l.K - k0);
        for (int64_t i = 0; i < count; ++i)
          col[(k0 + i) * kSgemmNR] = (static_cast<float>(l.value(blob, i)) - zp) * scale;
      }
    }
  }
};

Prepared prepare_matmul_nbits(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || !has_input(ctx, 2) || (has_input(ctx, 4))) return not_handled();
  const Tensor* scales = constant_input(ctx, 2);
  const Tensor* zp = has_input(ctx, 3) ? constant_input(ctx, 3) : nullptr;
  if (!scales || (has_input(ctx, 3) && !zp)) return not_handled();
  auto l = quant::nbits_layout(ctx.node);
  if (!l.is_ok()) return not_handled();
  const Shape a = input_shape(ctx, 0);
  if (a.empty() || a.back() != l->K || scales->numel() != l->N * l->blocks) return not_handled();
  if (quant::static_numel(ctx.input_types[1]) != l->N * l->blocks * l->blob_bytes) return not_handled();
  if (has_input(ctx, 5) && quant::static_numel(ctx.input_types[5]) != l->N) return not_handled();
  if (zp && zp->numel() != (zp->dtype() == DType::kUInt8 ? l->N * l->zp_row_bytes : l->N * l->blocks))
    return not_handled();
  auto k = std::make_unique<MatMulNBitsKernel>();
  k->l = *l;
  k->rows = 1;
  for (size_t i = 0; i + 1 < a.size(); ++i) k->rows *= a[i];
  for (int64_t n = 0; n < l->N; ++n)
    for (int64_t b = 0; b < l->blocks; ++b) {
      k->scales.push_back(quant::scale_at(*scales, n * l->blocks + b));
      k->zero_points.push_back(quant::nbits_zero_point(*l, zp, n, b));
    }
  EW_ASSIGN_OR_RETURN(k->panel, scratch_floats(packed_b_size(l->K, kSlab)));
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "MatMulNBits", .domain = "com.microsoft", .name = "nbits_sgemm",
                        .prepare = prepare_matmul_nbits);

}  // namespace ew::fast
