// AVX-512 helpers shared by the int8 kernels. Every function carries the
// target attribute; callers must carry it too (they are chosen at run time
// by int8_kernels_supported()).
#pragma once

// GCC 12 warns about _mm512_undefined_* inside its own AVX-512 headers.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#define EW_INT8_X86 1
#define EW_INT8_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq,fma,avx2")))
#define EW_INT8_VBMI_TARGET \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx512dq,avx512vbmi,fma,avx2")))
#endif

namespace ew::quant::fast {

#ifdef EW_INT8_X86

// Float bounds of the output type minus the zero point, as the reference's
// quantize_value computes them (lowest - zp, max - zp).
struct RequantBounds {
  float lo, hi;
  int32_t zp;
};
inline RequantBounds requant_bounds(bool y_signed, int32_t zp) {
  const float lo = y_signed ? -128.0f : 0.0f, hi = y_signed ? 127.0f : 255.0f;
  return {lo - static_cast<float>(zp), hi - static_cast<float>(zp), zp};
}

// saturate(round_half_even(float(acc) * scale) + zp) for 16 lanes, as int32.
// Clamping before rounding equals the reference's rounding before clamping
// since the bounds are integers; NaN maps to lo (max returns its second operand).
EW_INT8_TARGET inline __m512i requant16(__m512i acc, __m512 scale, __m512 lo, __m512 hi, __m512i zp) {
  __m512 v = _mm512_mul_round_ps(_mm512_cvtepi32_ps(acc), scale, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
  return _mm512_add_epi32(_mm512_cvt_roundps_epi32(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), zp);
}

// Stores the low byte of each of the first `n` (<= 16) lanes.
EW_INT8_TARGET inline void store16_u8(void* dst, __m512i v, int64_t n) {
  const __m128i b = _mm512_cvtepi32_epi8(v);
  if (n >= 16) _mm_storeu_si128(static_cast<__m128i*>(dst), b);
  else _mm_mask_storeu_epi8(dst, static_cast<__mmask16>((1u << n) - 1), b);
}

inline __mmask64 mask64(int64_t n) { return n >= 64 ? ~__mmask64{0} : (__mmask64{1} << n) - 1; }
inline __mmask32 mask32(int64_t n) { return n >= 32 ? ~__mmask32{0} : (__mmask32{1} << n) - 1; }
inline __mmask16 mask16(int64_t n) { return n >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << n) - 1); }


// y = saturate(round_half_even(x / scale) + zp) for n floats, QuantizeLinear's
// arithmetic (clamping before rounding equals after: the bounds are integers).
EW_INT8_TARGET inline void quantize_range(const float* x, int64_t n, float scale, bool is_signed, int32_t zp, uint8_t* y) {
  constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  const RequantBounds b = requant_bounds(is_signed, zp);
  const __m512 s = _mm512_set1_ps(scale), lo = _mm512_set1_ps(b.lo), hi = _mm512_set1_ps(b.hi);
  const __m512i z = _mm512_set1_epi32(zp);
  for (int64_t i = 0; i < n; i += 16) {
    const int64_t len = std::min<int64_t>(16, n - i);
    __m512 v = _mm512_div_round_ps((len == 16 ? _mm512_loadu_ps(x + i) : _mm512_maskz_loadu_ps(mask16(len), x + i)), s, kRound);
    v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
    store16_u8(y + i, _mm512_add_epi32(_mm512_cvt_roundps_epi32(v, kRound), z), len);
  }
}

// min(0, x) and max(0, x) over n floats; false when x holds a NaN.
EW_INT8_TARGET inline bool range_with_zero(const float* x, int64_t n, float* lo, float* hi) {
  __m512 mn = _mm512_setzero_ps(), mx = _mm512_setzero_ps();
  __mmask16 nan = 0;
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = mask16(n - i);
    const __m512 v = _mm512_maskz_loadu_ps(m, x + i);
    nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    mn = _mm512_min_ps(mn, v);
    mx = _mm512_max_ps(mx, v);
  }
  *lo = _mm512_reduce_min_ps(mn);
  *hi = _mm512_reduce_max_ps(mx);
  return nan == 0;
}

#endif

}  // namespace ew::quant::fast
