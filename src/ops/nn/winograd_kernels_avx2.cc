// AVX2+FMA variant of the Winograd phases (16 lanes as two ymm registers).
#include <immintrin.h>

#include <algorithm>

#include "ops/fast/transpose8x8_avx2.h"
#include "ops/nn/winograd_kernels.h"

namespace ew {
namespace winograd_avx2 {

#define WG_TARGET __attribute__((target("avx2,fma")))
constexpr const char* kIsaName = "avx2";
constexpr int kMr = 6;

struct V {
  __m256 lo, hi;
};
WG_TARGET inline V vload(const float* p) { return {_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)}; }
WG_TARGET inline void vstore(float* p, V a) {
  _mm256_storeu_ps(p, a.lo);
  _mm256_storeu_ps(p + 8, a.hi);
}
WG_TARGET inline V vzero() { return {_mm256_setzero_ps(), _mm256_setzero_ps()}; }
WG_TARGET inline V vset1(float x) { return {_mm256_set1_ps(x), _mm256_set1_ps(x)}; }
WG_TARGET inline V vadd(V a, V b) { return {_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)}; }
WG_TARGET inline V vsub(V a, V b) { return {_mm256_sub_ps(a.lo, b.lo), _mm256_sub_ps(a.hi, b.hi)}; }
WG_TARGET inline V vfma(V a, V b, V c) { return {_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)}; }

WG_TARGET inline void transpose8(__m256 r[8]) { transpose8x8_avx2(r); }

// Lanes 0 .. m-1 on (m <= 8): the mask of a partial block of pixels.
WG_TARGET inline __m256i first_lanes(int64_t m) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(m)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// dst[x·16 + l] = src[l·plane + x] for x < n; lanes >= `lanes` are zero.
// Full channel blocks go 8 pixels at a time through two 8x8 transposes (a
// last partial block with masked loads).
WG_TARGET void pack_channels(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst) {
  if (lanes == 16) {
    for (int64_t x = 0; x < n; x += 8) {
      const int64_t m = std::min<int64_t>(8, n - x);
      const __m256i mask = first_lanes(m);
      for (int half = 0; half < 2; ++half) {
        __m256 r[8];
        for (int l = 0; l < 8; ++l) r[l] = _mm256_maskload_ps(src + (half * 8 + l) * plane + x, mask);
        transpose8(r);
        for (int64_t i = 0; i < m; ++i) _mm256_storeu_ps(dst + (x + i) * 16 + half * 8, r[i]);
      }
    }
    return;
  }
  for (int64_t x = 0; x < n; ++x)
    for (int64_t l = 0; l < 16; ++l) dst[x * 16 + l] = l < lanes ? src[l * plane + x] : 0.0f;
}

// dst[l·plane + x] = src[x·16 + l] for x < n, l < lanes.
WG_TARGET void unpack_channels(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane) {
  if (lanes == 16) {
    for (int64_t x = 0; x < n; x += 8) {
      const int64_t m = std::min<int64_t>(8, n - x);
      const __m256i mask = first_lanes(m);
      for (int half = 0; half < 2; ++half) {
        __m256 r[8];
        for (int64_t i = 0; i < 8; ++i)
          r[i] = i < m ? _mm256_loadu_ps(src + (x + i) * 16 + half * 8) : _mm256_setzero_ps();
        transpose8(r);
        for (int l = 0; l < 8; ++l) _mm256_maskstore_ps(dst + (half * 8 + l) * plane + x, mask, r[l]);
      }
    }
    return;
  }
  for (int64_t l = 0; l < lanes; ++l)
    for (int64_t x = 0; x < n; ++x) dst[l * plane + x] = src[x * 16 + l];
}
#define WG_HAS_CHANNEL_TRANSPOSE

#include "ops/nn/winograd_kernels_body.h"

#undef WG_HAS_CHANNEL_TRANSPOSE

#undef WG_TARGET

}  // namespace winograd_avx2

const WinogradKernels* winograd_kernels_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &winograd_avx2::kKernels : nullptr;
}

}  // namespace ew
