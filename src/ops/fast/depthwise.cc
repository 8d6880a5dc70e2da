#include "ops/fast/depthwise.h"

#include <algorithm>
#include <cstring>

#include "ops/fast/vec_math.h"
#include "ops/fast/transpose8x8_avx2.h"

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

int64_t Depthwise::scratch_floats() const {
  return kDepthwiseLanes * (ph * pw + std::max(out_plane(), in_plane()) + taps()) + kDepthwiseLanes;
}

namespace {

constexpr int64_t L = kDepthwiseLanes;

// Eight lanes as a GCC vector: one ymm register where the function is compiled
// for AVX2, two xmm otherwise. aligned(4): loads and stores need not be aligned.
typedef float V8 __attribute__((vector_size(32), aligned(4), may_alias));

#define EW_INLINE inline __attribute__((always_inline))

EW_INLINE V8 load8(const float* p) { return *reinterpret_cast<const V8*>(p); }
EW_INLINE void store8(float* p, V8 v) { *reinterpret_cast<V8*>(p) = v; }

// dst[x·8 + l] = src[l·plane + x] for x < n (0 for l >= lanes).
EW_INLINE void interleave8_scalar(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst) {
  for (int64_t x = 0; x < n; ++x)
    for (int64_t l = 0; l < L; ++l) dst[x * L + l] = l < lanes ? src[l * plane + x] : 0.0f;
}

// dst[l·plane + x] = src[x·8 + l] for x < n, l < lanes.
EW_INLINE void deinterleave8_scalar(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane) {
  for (int64_t l = 0; l < lanes; ++l)
    for (int64_t x = 0; x < n; ++x) dst[l * plane + x] = src[x * L + l];
}

#ifdef EW_VEC_MATH_X86
#define EW_DW_AVX2 __attribute__((target("avx2,fma")))

EW_DW_AVX2 inline void transpose8(__m256 r[8]) { transpose8x8_avx2(r); }

EW_DW_AVX2 void interleave8_avx2(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst) {
  int64_t x = 0;
  if (lanes == L)
    for (; x + 8 <= n; x += 8) {
      __m256 r[8];
      for (int l = 0; l < 8; ++l) r[l] = _mm256_loadu_ps(src + l * plane + x);
      transpose8(r);
      for (int i = 0; i < 8; ++i) _mm256_storeu_ps(dst + (x + i) * L, r[i]);
    }
  interleave8_scalar(src + x, plane, lanes, n - x, dst + x * L);
}

EW_DW_AVX2 void deinterleave8_avx2(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane) {
  int64_t x = 0;
  if (lanes == L)
    for (; x + 8 <= n; x += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + (x + i) * L);
      transpose8(r);
      for (int l = 0; l < 8; ++l) _mm256_storeu_ps(dst + l * plane + x, r[l]);
    }
  deinterleave8_scalar(src + x * L, n - x, lanes, dst + x, plane);
}
#endif

using InterleaveFn = void (*)(const float*, int64_t, int64_t, int64_t, float*);
using DeinterleaveFn = void (*)(const float*, int64_t, int64_t, float*, int64_t);

// The transposes, bound per ISA so the block kernels below inline one set.
struct Transposes {
  InterleaveFn in;
  DeinterleaveFn out;
};

// xp[r][c][l] = x_l[r - pt][c - pl], zero outside x (x_l = x + l·plane).
EW_INLINE void pack_padded(const Depthwise& d, const Transposes& t, int64_t lanes, const float* x, float* xp) {
  const int64_t row = d.pw * L;
  const int64_t c0 = std::min(d.pl, d.pw), n = std::max<int64_t>(0, std::min(d.pw, d.w + d.pl) - c0);
  for (int64_t r = 0; r < d.ph; ++r) {
    float* dst = xp + r * row;
    const int64_t ih = r - d.pt;
    if (ih < 0 || ih >= d.h || n == 0) {
      std::memset(dst, 0, sizeof(float) * row);
      continue;
    }
    std::memset(dst, 0, sizeof(float) * c0 * L);
    t.in(x + ih * d.w + (c0 - d.pl), d.in_plane(), lanes, n, dst + c0 * L);
    std::memset(dst + (c0 + n) * L, 0, sizeof(float) * (d.pw - c0 - n) * L);
  }
}

// w8[t][l] = w[l·taps + t] (0 for l >= lanes).
EW_INLINE void pack_filters(const Depthwise& d, int64_t lanes, const float* w, float* w8) {
  for (int64_t t = 0; t < d.taps(); ++t)
    for (int64_t l = 0; l < L; ++l) w8[t * L + l] = l < lanes ? w[l * d.taps() + t] : 0.0f;
}

EW_INLINE void forward_block(const Depthwise& d, const Transposes& tr, int64_t lanes, const float* x, const float* w,
                             const DepthwiseEpilogue& e, float* y, float* scratch) {
  float* xp = scratch;
  float* y8 = xp + d.ph * d.pw * L;
  float* w8 = y8 + std::max(d.out_plane(), d.in_plane()) * L;
  pack_padded(d, tr, lanes, x, xp);
  pack_filters(d, lanes, w, w8);
  V8 bias = {}, lo, hi;
  for (int64_t l = 0; l < L; ++l) {
    bias[l] = e.bias && l < lanes ? e.bias[l] : 0.0f;
    lo[l] = e.lo;
    hi[l] = e.hi;
  }
  auto finish = [&](V8 a) {  // + bias, then the clamp (a NaN stays NaN)
    a += bias;
    a = a < lo ? lo : a;
    return a > hi ? hi : a;
  };
  const int64_t row = d.pw * L, step = d.sw * L, dil = d.dw * L;
  for (int64_t oh = 0; oh < d.oh; ++oh) {
    const float* base = xp + oh * d.sh * row;
    float* out = y8 + oh * d.ow * L;
    int64_t ow = 0;
    for (; ow + 4 <= d.ow; ow += 4) {  // four outputs in flight hide the add latency
      V8 a0 = {}, a1 = {}, a2 = {}, a3 = {};
      for (int64_t kh = 0; kh < d.kh; ++kh) {
        const float* src = base + kh * d.dh * row + ow * step;
        for (int64_t kw = 0; kw < d.kw; ++kw, src += dil) {
          const V8 wv = load8(w8 + (kh * d.kw + kw) * L);
          a0 += wv * load8(src);
          a1 += wv * load8(src + step);
          a2 += wv * load8(src + 2 * step);
          a3 += wv * load8(src + 3 * step);
        }
      }
      store8(out + ow * L, finish(a0));
      store8(out + (ow + 1) * L, finish(a1));
      store8(out + (ow + 2) * L, finish(a2));
      store8(out + (ow + 3) * L, finish(a3));
    }
    for (; ow < d.ow; ++ow) {
      V8 a = {};
      for (int64_t kh = 0; kh < d.kh; ++kh) {
        const float* src = base + kh * d.dh * row + ow * step;
        for (int64_t kw = 0; kw < d.kw; ++kw, src += dil) a += load8(w8 + (kh * d.kw + kw) * L) * load8(src);
      }
      store8(out + ow * L, finish(a));
    }
  }
  tr.out(y8, d.out_plane(), lanes, y, d.out_plane());
}

EW_INLINE void input_grad_block(const Depthwise& d, const Transposes& tr, int64_t lanes, const float* dy,
                                const float* w, float* dx, float* scratch) {
  float* dxp = scratch;
  float* g8 = dxp + d.ph * d.pw * L;
  float* w8 = g8 + std::max(d.out_plane(), d.in_plane()) * L;
  std::memset(dxp, 0, sizeof(float) * d.ph * d.pw * L);
  tr.in(dy, d.out_plane(), lanes, d.out_plane(), g8);
  pack_filters(d, lanes, w, w8);
  const int64_t row = d.pw * L, step = d.sw * L, dil = d.dw * L;
  for (int64_t oh = 0; oh < d.oh; ++oh)
    for (int64_t kh = 0; kh < d.kh; ++kh) {
      float* base = dxp + (oh * d.sh + kh * d.dh) * row;
      for (int64_t kw = 0; kw < d.kw; ++kw) {
        const V8 wv = load8(w8 + (kh * d.kw + kw) * L);
        const float* g = g8 + oh * d.ow * L;
        float* dst = base + kw * dil;
        for (int64_t ow = 0; ow < d.ow; ++ow, dst += step, g += L) store8(dst, load8(dst) + wv * load8(g));
      }
    }
  // dx = the interior; input positions past the padded extent get zero.
  const int64_t n = std::max<int64_t>(0, std::min(d.w, d.pw - d.pl));
  for (int64_t ih = 0; ih < d.h; ++ih) {
    const int64_t r = ih + d.pt;
    const int64_t m = r < d.ph ? n : 0;
    if (m > 0) tr.out(dxp + (r * d.pw + d.pl) * L, m, lanes, dx + ih * d.w, d.in_plane());
    for (int64_t l = 0; l < lanes && m < d.w; ++l) {
      float* rest = dx + l * d.in_plane() + ih * d.w;
      std::fill(rest + m, rest + d.w, 0.0f);
    }
  }
}

EW_INLINE void filter_grad_block(const Depthwise& d, const Transposes& tr, int64_t lanes, const float* dy,
                                 const float* x, float* acc, float* dy_sum, float* scratch) {
  float* xp = scratch;
  float* g8 = xp + d.ph * d.pw * L;
  pack_padded(d, tr, lanes, x, xp);
  tr.in(dy, d.out_plane(), lanes, d.out_plane(), g8);
  const int64_t row = d.pw * L, step = d.sw * L;
  for (int64_t kh = 0; kh < d.kh; ++kh)
    for (int64_t kw = 0; kw < d.kw; ++kw) {
      V8 s0 = {}, s1 = {};  // two chains hide the add latency; summed in a fixed order
      for (int64_t oh = 0; oh < d.oh; ++oh) {
        const float* src = xp + (oh * d.sh + kh * d.dh) * row + kw * d.dw * L;
        const float* g = g8 + oh * d.ow * L;
        int64_t ow = 0;
        for (; ow + 2 <= d.ow; ow += 2) {
          s0 += load8(g + ow * L) * load8(src + ow * step);
          s1 += load8(g + (ow + 1) * L) * load8(src + (ow + 1) * step);
        }
        if (ow < d.ow) s0 += load8(g + ow * L) * load8(src + ow * step);
      }
      float* a = acc + (kh * d.kw + kw) * L;
      store8(a, load8(a) + (s0 + s1));
    }
  if (dy_sum) {
    V8 s0 = {}, s1 = {};
    int64_t p = 0;
    for (; p + 2 <= d.out_plane(); p += 2) {
      s0 += load8(g8 + p * L);
      s1 += load8(g8 + (p + 1) * L);
    }
    if (p < d.out_plane()) s0 += load8(g8 + p * L);
    store8(dy_sum, s0 + s1);
  }
}

void interleave8_portable(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst) {
  interleave8_scalar(src, plane, lanes, n, dst);
}
void deinterleave8_portable(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane) {
  deinterleave8_scalar(src, n, lanes, dst, plane);
}
const Transposes& transposes_portable() {
  static const Transposes t{interleave8_portable, deinterleave8_portable};
  return t;
}

void forward_portable(const Depthwise& d, int64_t lanes, const float* x, const float* w, const DepthwiseEpilogue& e,
                      float* y, float* s) {
  forward_block(d, transposes_portable(), lanes, x, w, e, y, s);
}
void input_grad_portable(const Depthwise& d, int64_t lanes, const float* dy, const float* w, float* dx, float* s) {
  input_grad_block(d, transposes_portable(), lanes, dy, w, dx, s);
}
void filter_grad_portable(const Depthwise& d, int64_t lanes, const float* dy, const float* x, float* acc,
                          float* dy_sum, float* s) {
  filter_grad_block(d, transposes_portable(), lanes, dy, x, acc, dy_sum, s);
}

#ifdef EW_VEC_MATH_X86
constexpr Transposes kAvx2Transposes{interleave8_avx2, deinterleave8_avx2};

EW_DW_AVX2 void forward_avx2(const Depthwise& d, int64_t lanes, const float* x, const float* w,
                             const DepthwiseEpilogue& e, float* y, float* s) {
  forward_block(d, kAvx2Transposes, lanes, x, w, e, y, s);
}
EW_DW_AVX2 void input_grad_avx2(const Depthwise& d, int64_t lanes, const float* dy, const float* w, float* dx,
                                float* s) {
  input_grad_block(d, kAvx2Transposes, lanes, dy, w, dx, s);
}
EW_DW_AVX2 void filter_grad_avx2(const Depthwise& d, int64_t lanes, const float* dy, const float* x, float* acc,
                                 float* dy_sum, float* s) {
  filter_grad_block(d, kAvx2Transposes, lanes, dy, x, acc, dy_sum, s);
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
