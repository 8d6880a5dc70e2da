#include "ops/fast/depthwise.h"

#include <algorithm>
#include <cstring>

#include "ops/fast/vec_math.h"

namespace ew::fast {

bool depthwise_of(const ConvGradShape& s, Depthwise* d) {
  const Window3& w = s.w;
  if (w.k[0] != 1 || w.in[0] != 1 || w.out[0] != 1 || w.pb[0] != 0 || w.pe[0] != 0) return false;
  if (s.group != s.channels || s.maps != s.channels || s.group < 1) return false;
  *d = Depthwise{};
  d->batch = s.batch;
  d->channels = s.channels;
  d->h = w.in[1];
  d->w = w.in[2];
  d->oh = w.out[1];
  d->ow = w.out[2];
  d->kh = w.k[1];
  d->kw = w.k[2];
  d->sh = w.s[1];
  d->sw = w.s[2];
  d->dh = w.d[1];
  d->dw = w.d[2];
  d->pt = w.pb[1];
  d->pl = w.pb[2];
  d->ph = d->oh > 0 ? (d->oh - 1) * d->sh + (d->kh - 1) * d->dh + 1 : 0;
  d->pw = d->ow > 0 ? (d->ow - 1) * d->sw + (d->kw - 1) * d->dw + 1 : 0;
  return true;
}

namespace {

// Inlined into each ISA's entry point below, so each is compiled for that ISA.
#define EW_INLINE inline __attribute__((always_inline))

// padded[r][c] = x[r - pt][c - pl], zero outside x.
EW_INLINE void pad_plane(const Depthwise& d, const float* x, float* padded) {
  std::memset(padded, 0, sizeof(float) * d.ph * d.pw);
  const int64_t c0 = std::min(d.pl, d.pw), c1 = std::min(d.pw, d.w + d.pl);
  if (c1 <= c0) return;
  for (int64_t r = d.pt; r < std::min(d.ph, d.h + d.pt); ++r)
    std::memcpy(padded + r * d.pw + c0, x + (r - d.pt) * d.w + (c0 - d.pl), sizeof(float) * (c1 - c0));
}

template <bool kUnit>
EW_INLINE void forward_plane(const Depthwise& d, const float* x, const float* w, float* y, float* padded) {
  pad_plane(d, x, padded);
  const int64_t ow = d.ow, sw = kUnit ? 1 : d.sw;
  for (int64_t oh = 0; oh < d.oh; ++oh) {
    float* __restrict yr = y + oh * ow;
    for (int64_t i = 0; i < ow; ++i) yr[i] = 0.0f;
    for (int64_t kh = 0; kh < d.kh; ++kh) {
      const float* src = padded + (oh * d.sh + kh * d.dh) * d.pw;
      for (int64_t kw = 0; kw < d.kw; ++kw) {
        const float wv = w[kh * d.kw + kw];
        const float* __restrict s = src + kw * d.dw;
        for (int64_t i = 0; i < ow; ++i) yr[i] += wv * s[i * sw];
      }
    }
  }
}

template <bool kUnit>
EW_INLINE void input_grad_plane(const Depthwise& d, const float* dy, const float* w, float* dx, float* padded) {
  std::memset(padded, 0, sizeof(float) * d.ph * d.pw);
  const int64_t ow = d.ow, sw = kUnit ? 1 : d.sw;
  for (int64_t oh = 0; oh < d.oh; ++oh) {
    const float* __restrict g = dy + oh * ow;
    for (int64_t kh = 0; kh < d.kh; ++kh) {
      float* dst = padded + (oh * d.sh + kh * d.dh) * d.pw;
      for (int64_t kw = 0; kw < d.kw; ++kw) {
        const float wv = w[kh * d.kw + kw];
        float* __restrict t = dst + kw * d.dw;
        for (int64_t i = 0; i < ow; ++i) t[i * sw] += wv * g[i];
      }
    }
  }
  // Input positions no window reads (past the padded extent) get zero.
  for (int64_t r = 0; r < d.h; ++r) {
    float* out = dx + r * d.w;
    const int64_t pr = r + d.pt;
    const int64_t n = pr < d.ph ? std::max<int64_t>(0, std::min(d.w, d.pw - d.pl)) : 0;
    if (n > 0) std::memcpy(out, padded + pr * d.pw + d.pl, sizeof(float) * n);
    std::fill(out + n, out + d.w, 0.0f);
  }
}

template <bool kUnit>
EW_INLINE void filter_grad_plane(const Depthwise& d, const float* dy, const float* x, float* acc, float* padded) {
  pad_plane(d, x, padded);
  const int64_t ow = d.ow, sw = kUnit ? 1 : d.sw;
  for (int64_t kh = 0; kh < d.kh; ++kh)
    for (int64_t kw = 0; kw < d.kw; ++kw) {
      float* __restrict a = acc + (kh * d.kw + kw) * ow;
      for (int64_t oh = 0; oh < d.oh; ++oh) {
        const float* __restrict g = dy + oh * ow;
        const float* __restrict s = padded + (oh * d.sh + kh * d.dh) * d.pw + kw * d.dw;
        for (int64_t i = 0; i < ow; ++i) a[i] += g[i] * s[i * sw];
      }
    }
}

// The unit-stride and the strided loop behind one entry per kernel, compiled
// once portable and once for AVX2+FMA.
void forward_portable(const Depthwise& d, const float* x, const float* w, float* y, float* p) {
  d.sw == 1 ? forward_plane<true>(d, x, w, y, p) : forward_plane<false>(d, x, w, y, p);
}
void input_grad_portable(const Depthwise& d, const float* dy, const float* w, float* dx, float* p) {
  d.sw == 1 ? input_grad_plane<true>(d, dy, w, dx, p) : input_grad_plane<false>(d, dy, w, dx, p);
}
void filter_grad_portable(const Depthwise& d, const float* dy, const float* x, float* acc, float* p) {
  d.sw == 1 ? filter_grad_plane<true>(d, dy, x, acc, p) : filter_grad_plane<false>(d, dy, x, acc, p);
}

#ifdef EW_VEC_MATH_X86
#define EW_DEPTHWISE_AVX2 __attribute__((target("avx2,fma")))
EW_DEPTHWISE_AVX2 void forward_avx2(const Depthwise& d, const float* x, const float* w, float* y, float* p) {
  d.sw == 1 ? forward_plane<true>(d, x, w, y, p) : forward_plane<false>(d, x, w, y, p);
}
EW_DEPTHWISE_AVX2 void input_grad_avx2(const Depthwise& d, const float* dy, const float* w, float* dx, float* p) {
  d.sw == 1 ? input_grad_plane<true>(d, dy, w, dx, p) : input_grad_plane<false>(d, dy, w, dx, p);
}
EW_DEPTHWISE_AVX2 void filter_grad_avx2(const Depthwise& d, const float* dy, const float* x, float* acc, float* p) {
  d.sw == 1 ? filter_grad_plane<true>(d, dy, x, acc, p) : filter_grad_plane<false>(d, dy, x, acc, p);
}
#endif

}  // namespace

const DepthwiseKernels& depthwise_kernels() {
  static const DepthwiseKernels k = [] {
#ifdef EW_VEC_MATH_X86
    if (cpu_has_avx2_fma()) return DepthwiseKernels{forward_avx2, input_grad_avx2, filter_grad_avx2};
#endif
    return DepthwiseKernels{forward_portable, input_grad_portable, filter_grad_portable};
  }();
  return k;
}

}  // namespace ew::fast
