// Fast com.microsoft::DynamicQuantizeMatMul: A is quantized to uint8 per run
// (dynamic_quantize.h, as the reference; vectorized with AVX-512), multiplied
// with the packed B by the exact int8 product (int8_matmul.h: VNNI, or AVX2),
// and each tile scaled back with the reference's float operations in the
// reference's order, so outputs are bit-identical.
#include <vector>

#include "ops/fast/int8_matmul.h"
#include "ops/fast/prepare_util.h"
#include "ops/quant/dynamic_quantize.h"
#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/fast/int8_simd.h"

namespace ew::fast {
namespace {

class DqmmKernel final : public PreparedKernel {
 public:
  Int8PackedB b;
  int64_t M = 0;
  std::vector<float> scale, bias;  // per column
  bool has_bias = false;
  std::vector<uint8_t> qa;
  std::vector<int32_t> rowsum;

  struct Context {
    const DqmmKernel* k;
    float a_scale;
    float* y;
  };

  static void epilogue(void* p, int64_t m0, int64_t rows, int64_t n0, int64_t cols, const int32_t* acc) {
    const Context& c = *static_cast<const Context*>(p);
    const int64_t N = c.k->b.N;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        float v = static_cast<float>(acc[i * kInt8TileN + j]) * (c.a_scale * c.k->scale[n0 + j]);
        if (c.k->has_bias) v += c.k->bias[n0 + j];
        c.y[(m0 + i) * N + n0 + j] = v;
      }
  }

  Status run(KernelContext& ctx) override {
    const float* a = ctx.input(0).data<float>();
    quant::DynamicParams p;
    const int64_t lda = b.k_groups * 4;
#ifdef EW_INT8_X86
    if (quant::fast::int8_kernels_supported()) {
      float lo = 0.0f, hi = 0.0f;
      if (!quant::fast::range_with_zero(a, M * b.K, &lo, &hi)) return ctx.error("A contains NaN");
      p = quant::dynamic_params_of(lo, hi);
      for (int64_t m = 0; m < M; ++m)
        quant::fast::quantize_range(a + m * b.K, b.K, p.scale, false, p.zero_point, qa.data() + m * lda);
    } else
#endif
    {
      if (!quant::dynamic_params(a, M * b.K, &p)) return ctx.error("A contains NaN");
      for (int64_t m = 0; m < M; ++m) quant::dynamic_quantize(a + m * b.K, b.K, p, qa.data() + m * lda);
    }
    if (b.any_zp) int8_row_sums(qa.data(), M, lda, b.K, rowsum.data());
    Context c{this, p.scale, ctx.output(0).data<float>()};
    Int8MatMulArgs args{&b, qa.data(), M, p.zero_point, rowsum.data(), epilogue, &c};
    int8_matmul(args, ctx.threadpool());
    return Status::ok();
  }
};

std::vector<int32_t> zero_points(const Tensor* zp) {
  std::vector<int32_t> out;
  if (zp)
    for (int64_t i = 0; i < zp->numel(); ++i) out.push_back(static_cast<int32_t>(zp->get_int64(i)));
  return out;
}

Prepared prepare_dqmm(const PrepareContext& ctx) {
  if (!int8_matmul_supported() || !is_f32(ctx, 0)) return not_handled();
  const Tensor* b = constant_input(ctx, 1);
  const Tensor* scale = constant_input(ctx, 2);
  const Tensor* zp = has_input(ctx, 3) ? constant_input(ctx, 3) : nullptr;
  const Tensor* bias = has_input(ctx, 4) ? constant_input(ctx, 4) : nullptr;
  if (!b || !scale || b->rank() != 2 || (has_input(ctx, 3) && !zp) || (has_input(ctx, 4) && !bias)) return not_handled();
  const int64_t K = b->shape()[0], N = b->shape()[1];
  const Shape a = input_shape(ctx, 0);
  if (a.empty() || a.back() != K || N == 0 || K == 0) return not_handled();
  auto fits = [&](const Tensor* t) { return !t || t->numel() == 1 || t->numel() == N; };
  if (!fits(scale) || !fits(zp) || !fits(bias) || (zp && zp->dtype() != b->dtype())) return not_handled();
  auto k = std::make_unique<DqmmKernel>();
  if (b->dtype() == DType::kInt8) pack_int8_b(b->data<int8_t>(), K, N, false, zero_points(zp), &k->b);
  else if (b->dtype() == DType::kUInt8) pack_int8_b(b->data<uint8_t>(), K, N, false, zero_points(zp), &k->b);
  else return not_handled();
  for (int64_t n = 0; n < N; ++n) {
    k->scale.push_back(static_cast<float>(scale->get_double(scale->numel() == 1 ? 0 : n)));
    k->bias.push_back(bias ? static_cast<float>(bias->get_double(bias->numel() == 1 ? 0 : n)) : 0.0f);
  }
  k->has_bias = bias != nullptr;
  k->M = 1;
  for (size_t i = 0; i + 1 < a.size(); ++i) k->M *= a[i];
  k->qa.assign(static_cast<size_t>(k->M * k->b.k_groups * 4), 0);
  k->rowsum.assign(static_cast<size_t>(k->M), 0);
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "DynamicQuantizeMatMul", .domain = "com.microsoft", .name = "int8_matmul",
                        .prepare = prepare_dqmm);

}  // namespace ew::fast
