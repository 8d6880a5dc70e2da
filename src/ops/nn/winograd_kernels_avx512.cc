// AVX-512 variant of the Winograd phases (16 lanes in one zmm register).
// GCC 12 warns about the `__m512 __Y = __Y;` idiom inside <immintrin.h> once
// its shuffles are inlined here (a false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "ops/nn/winograd_kernels.h"

namespace ew {
namespace winograd_avx512 {

#define WG_TARGET __attribute__((target("avx512f,avx2,fma")))
constexpr const char* kIsaName = "avx512";
constexpr int kMr = 12;

struct V {
  __m512 v;
};
WG_TARGET inline V vload(const float* p) { return {_mm512_loadu_ps(p)}; }
WG_TARGET inline void vstore(float* p, V a) { _mm512_storeu_ps(p, a.v); }
WG_TARGET inline V vzero() { return {_mm512_setzero_ps()}; }
WG_TARGET inline V vset1(float x) { return {_mm512_set1_ps(x)}; }
WG_TARGET inline V vadd(V a, V b) { return {_mm512_add_ps(a.v, b.v)}; }
WG_TARGET inline V vsub(V a, V b) { return {_mm512_sub_ps(a.v, b.v)}; }
WG_TARGET inline V vfma(V a, V b, V c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }

// 16x16 transpose of r[0..15] in registers.
WG_TARGET inline void transpose16(__m512* r) {
  __m512 t[16], u[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // u[4i + j], 128-bit lane k: column 4k + j of rows 4i..4i+3.
  for (int i = 0; i < 4; ++i) {
    __m512d t0 = _mm512_castps_pd(t[4 * i]), t1 = _mm512_castps_pd(t[4 * i + 1]);
    __m512d t2 = _mm512_castps_pd(t[4 * i + 2]), t3 = _mm512_castps_pd(t[4 * i + 3]);
    u[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
    u[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
    u[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
    u[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
  }
  for (int j = 0; j < 4; ++j) {
    __m512 a = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88), b = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xdd);
    __m512 c = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88), d = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xdd);
    r[j] = _mm512_shuffle_f32x4(a, c, 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(a, c, 0xdd);
    r[4 + j] = _mm512_shuffle_f32x4(b, d, 0x88);
    r[12 + j] = _mm512_shuffle_f32x4(b, d, 0xdd);
  }
}

WG_TARGET void pack_channels(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst) {
  for (int64_t x0 = 0; x0 < n; x0 += 16) {
    const int64_t m = n - x0 < 16 ? n - x0 : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << m) - 1);
    __m512 r[16];
    for (int64_t l = 0; l < 16; ++l)
      r[l] = l < lanes ? _mm512_maskz_loadu_ps(mask, src + l * plane + x0) : _mm512_setzero_ps();
    transpose16(r);
    for (int64_t x = 0; x < m; ++x) _mm512_storeu_ps(dst + (x0 + x) * 16, r[x]);
  }
}

WG_TARGET void unpack_channels(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane) {
  for (int64_t x0 = 0; x0 < n; x0 += 16) {
    const int64_t m = n - x0 < 16 ? n - x0 : 16;
    const __mmask16 mask = static_cast<__mmask16>((1u << m) - 1);
    __m512 r[16];
    for (int64_t x = 0; x < 16; ++x) r[x] = x < m ? _mm512_loadu_ps(src + (x0 + x) * 16) : _mm512_setzero_ps();
    transpose16(r);
    for (int64_t l = 0; l < lanes; ++l) _mm512_mask_storeu_ps(dst + l * plane + x0, mask, r[l]);
  }
}
#define WG_HAS_CHANNEL_TRANSPOSE

#include "ops/nn/winograd_kernels_body.h"

#undef WG_TARGET
#undef WG_HAS_CHANNEL_TRANSPOSE

}  // namespace winograd_avx512

const WinogradKernels* winograd_kernels_avx512() {
  return __builtin_cpu_supports("avx512f") ? &winograd_avx512::kKernels : nullptr;
}

}  // namespace ew
