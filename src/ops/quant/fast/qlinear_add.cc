// com.microsoft QLinearAdd on same-shape uint8/int8 tensors with AVX-512, the
// reference's float arithmetic step by step (no fused multiply-add):
//   c = saturate(round((sa * (a - za) + sb * (b - zb)) / sc) + zc).
// Runs in NCHW beside the int8 convolutions, so int8 chains stay out of
// XNNPACK's NHWC partitions.
#include <algorithm>

#include "ops/fast/prepare_util.h"
#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/fast/int8_simd.h"
#include "ops/quant/fast/qlinear_conv_params.h"
#include "ops/quant/quant_util.h"

namespace ew::quant::fast {
namespace {

struct AddParams {
  float sa, sb, sc;
  int32_t za, zb, zc;
  bool is_signed;
};

#ifdef EW_INT8_X86
template <bool kSigned>
EW_INT8_TARGET __m512 load16(const uint8_t* p, int64_t n, __m512i zp) {
  const __m128i v = n == 16 ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)) : _mm_maskz_loadu_epi8(mask16(n), p);
  const __m512i x = kSigned ? _mm512_cvtepi8_epi32(v) : _mm512_cvtepu8_epi32(v);
  return _mm512_cvtepi32_ps(_mm512_sub_epi32(x, zp));
}

template <bool kSigned>
EW_INT8_TARGET void add_range(const AddParams& p, const uint8_t* a, const uint8_t* b, uint8_t* c, int64_t n) {
  constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  const __m512 sa = _mm512_set1_ps(p.sa), sb = _mm512_set1_ps(p.sb), sc = _mm512_set1_ps(p.sc);
  const __m512i za = _mm512_set1_epi32(p.za), zb = _mm512_set1_epi32(p.zb), zc = _mm512_set1_epi32(p.zc);
  const RequantBounds bounds = requant_bounds(kSigned, p.zc);
  const __m512 lo = _mm512_set1_ps(bounds.lo), hi = _mm512_set1_ps(bounds.hi);
  for (int64_t i = 0; i < n; i += 16) {
    const int64_t len = std::min<int64_t>(16, n - i);
    const __m512 va = _mm512_mul_round_ps(load16<kSigned>(a + i, len, za), sa, kRound);
    const __m512 vb = _mm512_mul_round_ps(load16<kSigned>(b + i, len, zb), sb, kRound);
    __m512 v = _mm512_div_round_ps(_mm512_add_round_ps(va, vb, kRound), sc, kRound);
    v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
    store16_u8(c + i, _mm512_add_epi32(_mm512_cvt_roundps_epi32(v, kRound), zc), len);
  }
}
#endif

class Int8Add : public PreparedKernel {
 public:
  explicit Int8Add(AddParams p) : p_(p) {}

  Status run(KernelContext& ctx) override {
    a_ = ctx.input(0).data<uint8_t>();
    b_ = ctx.input(3).data<uint8_t>();
    c_ = ctx.output(0).data<uint8_t>();
    n_ = ctx.output(0).numel();
    const int workers = n_ < 16384 ? 1 : pool_workers(ctx.threadpool());
    if (workers <= 1) {
      run_chunk(0, 1);
      return Status::ok();
    }
    workers_now_ = workers;
    pthreadpool_parallelize_1d(
        ctx.threadpool(),
        [](void* self, size_t i) {
          auto* k = static_cast<Int8Add*>(self);
          k->run_chunk(static_cast<int>(i), k->workers_now_);
        },
        this, static_cast<size_t>(workers), 0);
    return Status::ok();
  }

 private:
  void run_chunk(int i, int count) {
#ifdef EW_INT8_X86
    const int64_t begin = n_ * i / count / 16 * 16, end = i + 1 == count ? n_ : n_ * (i + 1) / count / 16 * 16;
    if (p_.is_signed) add_range<true>(p_, a_ + begin, b_ + begin, c_ + begin, end - begin);
    else add_range<false>(p_, a_ + begin, b_ + begin, c_ + begin, end - begin);
#else
    (void)i, (void)count;
#endif
  }

  AddParams p_;
  const uint8_t* a_ = nullptr;
  const uint8_t* b_ = nullptr;
  uint8_t* c_ = nullptr;
  int64_t n_ = 0;
  int workers_now_ = 1;
};

// A constant one-element input (absent zero points read as 0 when allowed).
bool scalar_constant(const PrepareContext& ctx, int i, bool optional, const Tensor** out) {
  *out = nullptr;
  if (!ew::fast::has_input(ctx, i)) return optional;
  *out = ew::fast::constant_input(ctx, i);
  return *out && (*out)->numel() == 1;
}

Result<std::unique_ptr<PreparedKernel>> prepare_int8_add(const PrepareContext& ctx) {
  if (!int8_kernels_supported() || ctx.input_types.size() < 7 || ctx.output_types.empty())
    return ew::fast::not_handled();
  const ValueType& a = ctx.input_types[0];
  const ValueType& b = ctx.input_types[3];
  if (!is_quant8(a.dtype) || a.dtype != b.dtype || ctx.output_types[0].dtype != a.dtype) return ew::fast::not_handled();
  if (!a.fully_known() || !b.fully_known() || a.concrete_shape() != b.concrete_shape() ||
      ctx.output_types[0].concrete_shape() != a.concrete_shape())
    return ew::fast::not_handled();
  const Tensor *sa, *za, *sb, *zb, *sc, *zc;
  if (!scalar_constant(ctx, 1, false, &sa) || !scalar_constant(ctx, 2, true, &za) ||
      !scalar_constant(ctx, 4, false, &sb) || !scalar_constant(ctx, 5, true, &zb) ||
      !scalar_constant(ctx, 6, false, &sc) || !scalar_constant(ctx, 7, true, &zc))
    return ew::fast::not_handled();
  AddParams p{scale_at(*sa, 0), scale_at(*sb, 0), scale_at(*sc, 0), zero_point_at(za, 0), zero_point_at(zb, 0),
              zero_point_at(zc, 0), a.dtype == DType::kInt8};
  return ew::fast::prepared(std::make_unique<Int8Add>(p));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "QLinearAdd", .domain = "com.microsoft", .since_version = 1, .name = "int8_add",
                        .prepare = prepare_int8_add);

}  // namespace ew::quant::fast
