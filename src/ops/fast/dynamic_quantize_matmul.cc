// Fast com.microsoft::DynamicQuantizeMatMul on AVX-512 VNNI: A is quantized
// to uint8 per run (dynamic_quantize.h, as the reference), B [K, N] is packed
// once into panels of 16 columns x 4 k (int8; uint8 B shifted by 128), and
// vpdpbusd accumulates 4 rows x 32 columns per step. The zero points are
// applied after the dot product:
//   acc = sum qa*b' - az * colsum(b') - bz' * rowsum(qa) + K * az * bz'
// which equals the reference's sum (qa - az)(b' - bz') exactly, and the
// float epilogue multiplies then adds like the reference, so outputs are
// bit-identical. Without VNNI the reference kernel runs.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ops/fast/prepare_util.h"
#include "ops/quant/dynamic_quantize.h"
#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/fast/int8_simd.h"

namespace ew::fast {
namespace {

constexpr int64_t kPanel = 16;  // columns per packed panel
constexpr int64_t kRows = 4;    // rows per micro-kernel step

struct DqmmWeights {
  int64_t K = 0, N = 0, k_groups = 0, panels = 0;
  std::vector<int8_t> packed;   // [panels][k_groups][16][4]
  std::vector<int32_t> colsum;  // sum_k b'[k, n], padded to panels * 16
  std::vector<int32_t> zp;      // bz' per column (int8 domain), padded
  std::vector<float> scale;     // b_scale per column, padded
  std::vector<float> bias;      // per column, padded (zeros when absent)
  bool has_bias = false, any_zp = false;
};

#ifdef EW_INT8_X86

struct RunArgs {
  const DqmmWeights* w;
  const uint8_t* qa;        // [M][k_groups * 4]
  const int32_t* rowsum;    // per row
  int64_t M;
  quant::DynamicParams a;
  float* y;
};

template <int R>
EW_INT8_TARGET void tile(const RunArgs& r, int64_t m0, int64_t p0, int64_t np) {
  const DqmmWeights& w = *r.w;
  const int64_t lda = w.k_groups * 4;
  __m512i acc[R][2];
  for (int i = 0; i < R; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
  const int8_t* b0 = w.packed.data() + p0 * w.k_groups * 64;
  const int8_t* b1 = np > 1 ? b0 + w.k_groups * 64 : b0;
  for (int64_t g = 0; g < w.k_groups; ++g) {
    const __m512i v0 = _mm512_loadu_si512(b0 + g * 64), v1 = _mm512_loadu_si512(b1 + g * 64);
    for (int i = 0; i < R; ++i) {
      int32_t four;
      std::memcpy(&four, r.qa + (m0 + i) * lda + g * 4, 4);
      const __m512i a = _mm512_set1_epi32(four);
      acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], a, v0);
      acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], a, v1);
    }
  }
  const __m512i az = _mm512_set1_epi32(r.a.zero_point), kaz = _mm512_set1_epi32(static_cast<int32_t>(w.K) * r.a.zero_point);
  for (int64_t h = 0; h < np; ++h) {
    const int64_t c = (p0 + h) * kPanel, n = std::min<int64_t>(kPanel, w.N - c);
    const __m512i colsum = _mm512_loadu_si512(w.colsum.data() + c), bz = _mm512_loadu_si512(w.zp.data() + c);
    const __m512 scale = _mm512_mul_ps(_mm512_set1_ps(r.a.scale), _mm512_loadu_ps(w.scale.data() + c));
    const __m512 bias = _mm512_loadu_ps(w.bias.data() + c);
    const __m512i kazbz = _mm512_mullo_epi32(kaz, bz);
    for (int i = 0; i < R; ++i) {
      __m512i v = _mm512_sub_epi32(acc[i][h], _mm512_mullo_epi32(az, colsum));
      v = _mm512_add_epi32(_mm512_sub_epi32(v, _mm512_mullo_epi32(bz, _mm512_set1_epi32(r.rowsum[m0 + i]))), kazbz);
      __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), scale);
      if (w.has_bias) f = _mm512_add_ps(f, bias);
      _mm512_mask_storeu_ps(r.y + (m0 + i) * w.N + c, quant::fast::mask16(n), f);
    }
  }
}

// Task t: panels [2t, 2t + 2) for every row.
EW_INT8_TARGET void run_columns(void* p, size_t t) {
  const RunArgs& r = *static_cast<const RunArgs*>(p);
  const int64_t p0 = static_cast<int64_t>(t) * 2, np = std::min<int64_t>(2, r.w->panels - p0);
  int64_t m = 0;
  for (; m + kRows <= r.M; m += kRows) tile<kRows>(r, m, p0, np);
  for (; m < r.M; ++m) tile<1>(r, m, p0, np);
}

#endif

class DqmmKernel final : public PreparedKernel {
 public:
  DqmmWeights w;
  int64_t M = 0;
  std::vector<uint8_t> qa;
  std::vector<int32_t> rowsum;

  Status run(KernelContext& ctx) override {
#ifdef EW_INT8_X86
    const float* a = ctx.input(0).data<float>();
    quant::DynamicParams p;
    if (!quant::dynamic_params(a, M * w.K, &p)) return ctx.error("A contains NaN");
    const int64_t lda = w.k_groups * 4;
    for (int64_t m = 0; m < M; ++m) {
      quant::dynamic_quantize(a + m * w.K, w.K, p, qa.data() + m * lda);
      if (!w.any_zp) continue;
      int32_t s = 0;
      for (int64_t k = 0; k < w.K; ++k) s += qa[m * lda + k];
      rowsum[m] = s;
    }
    RunArgs args{&w, qa.data(), rowsum.data(), M, p, ctx.output(0).data<float>()};
    pthreadpool_parallelize_1d(ctx.threadpool(), run_columns, &args, static_cast<size_t>((w.panels + 1) / 2), 0);
    return Status::ok();
#else
    return ctx.error("int8 kernels are not built for this CPU");
#endif
  }
};

// Packs B (int8, or uint8 shifted to int8) and the per-column parameters.
template <typename B>
void pack(const Tensor& b, const Tensor& scale, const Tensor* zp, const Tensor* bias, DqmmWeights& w) {
  const int64_t cols = w.panels * kPanel;
  w.packed.assign(static_cast<size_t>(w.panels * w.k_groups * 64), 0);
  w.colsum.assign(cols, 0);
  w.zp.assign(cols, 0);
  w.scale.assign(cols, 0.0f);
  w.bias.assign(cols, 0.0f);
  const int32_t shift = std::is_same_v<B, uint8_t> ? 128 : 0;
  const B* pb = b.data<B>();
  for (int64_t n = 0; n < w.N; ++n) {
    w.scale[n] = quant::scale_at(scale, scale.numel() == 1 ? 0 : n);
    w.zp[n] = quant::zero_point_at(zp, zp && zp->numel() != 1 ? n : 0) - shift;
    w.any_zp = w.any_zp || w.zp[n] != 0;
    if (bias) w.bias[n] = static_cast<float>(bias->get_double(bias->numel() == 1 ? 0 : n));
    for (int64_t k = 0; k < w.K; ++k) {
      const int32_t v = static_cast<int32_t>(pb[k * w.N + n]) - shift;
      w.packed[((n / kPanel) * w.k_groups + k / 4) * 64 + (n % kPanel) * 4 + k % 4] = static_cast<int8_t>(v);
      w.colsum[n] += v;
    }
  }
}

Prepared prepare_dqmm(const PrepareContext& ctx) {
  if (!quant::fast::int8_kernels_supported() || !is_f32(ctx, 0)) return not_handled();
  const Tensor* b = constant_input(ctx, 1);
  const Tensor* scale = constant_input(ctx, 2);
  const Tensor* zp = has_input(ctx, 3) ? constant_input(ctx, 3) : nullptr;
  const Tensor* bias = has_input(ctx, 4) ? constant_input(ctx, 4) : nullptr;
  if (!b || !scale || b->rank() != 2 || (has_input(ctx, 3) && !zp) || (has_input(ctx, 4) && !bias)) return not_handled();
  const Shape a = input_shape(ctx, 0);
  auto k = std::make_unique<DqmmKernel>();
  k->w.K = b->shape()[0];
  k->w.N = b->shape()[1];
  if (a.empty() || a.back() != k->w.K || k->w.N == 0 || k->w.K == 0) return not_handled();
  auto fits = [&](const Tensor* t) { return !t || t->numel() == 1 || t->numel() == k->w.N; };
  if (!fits(scale) || !fits(zp) || !fits(bias) || (zp && zp->dtype() != b->dtype())) return not_handled();
  k->w.k_groups = (k->w.K + 3) / 4;
  k->w.panels = (k->w.N + kPanel - 1) / kPanel;
  k->w.has_bias = bias != nullptr;
  if (b->dtype() == DType::kInt8) pack<int8_t>(*b, *scale, zp, bias, k->w);
  else if (b->dtype() == DType::kUInt8) pack<uint8_t>(*b, *scale, zp, bias, k->w);
  else return not_handled();
  k->M = 1;
  for (size_t i = 0; i + 1 < a.size(); ++i) k->M *= a[i];
  k->qa.assign(static_cast<size_t>(k->M * k->w.k_groups * 4), 0);
  k->rowsum.assign(static_cast<size_t>(k->M), 0);
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "DynamicQuantizeMatMul", .domain = "com.microsoft", .name = "int8_vnni",
                        .prepare = prepare_dqmm);

}  // namespace ew::fast
