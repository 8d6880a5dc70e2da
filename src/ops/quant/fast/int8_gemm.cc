#include "ops/quant/fast/int8_gemm.h"

#include <algorithm>
#include <cstring>

#include "ops/quant/fast/int8_simd.h"

namespace ew::quant::fast {

bool int8_kernels_supported() {
#ifdef EW_INT8_X86
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                         __builtin_cpu_supports("avx512vnni");
  return ok;
#else
  return false;
#endif
}

void pack_int8_weights(const void* w, bool w_unsigned, int64_t m, int64_t k, const std::vector<int32_t>& w_zp,
                       int32_t x_zp, bool x_signed, const std::vector<int32_t>& bias, Int8PackedWeights* packed,
                       Int8Requant* rq) {
  packed->m = m;
  packed->k = k;
  packed->k_groups = (k + 3) / 4;
  packed->m_blocks = (m + kGemmMR - 1) / kGemmMR;
  packed->data.assign(static_cast<size_t>(packed->m_blocks * packed->k_groups * kGemmMR * 4), 0);
  const int64_t xz = x_signed ? x_zp + 128 : x_zp;
  rq->row_offset.resize(static_cast<size_t>(m));
  rq->col_factor.resize(static_cast<size_t>(m));
  rq->need_col_sums = false;
  for (int64_t r = 0; r < m; ++r) {
    const int64_t wz = w_unsigned ? w_zp[r] - 128 : w_zp[r];
    int64_t sum = 0;
    for (int64_t c = 0; c < k; ++c) {
      const int32_t v = w_unsigned ? static_cast<int32_t>(static_cast<const uint8_t*>(w)[r * k + c]) - 128
                                   : static_cast<int32_t>(static_cast<const int8_t*>(w)[r * k + c]);
      sum += v;
      const int64_t at = (((r / kGemmMR) * packed->k_groups + c / 4) * kGemmMR + r % kGemmMR) * 4 + c % 4;
      packed->data[static_cast<size_t>(at)] = static_cast<int8_t>(v);
    }
    rq->row_offset[r] = static_cast<int32_t>(bias[r] - xz * sum + k * xz * wz);
    rq->col_factor[r] = static_cast<int32_t>(wz);
    rq->need_col_sums |= wz != 0;
  }
}

int64_t int8_gemm_scratch_bytes(int64_t k) { return (k + 3) / 4 * kGemmNR * 4 + kGemmNR * 4 + 64; }

#ifdef EW_INT8_X86
namespace {

// Packs columns [0, n) (n <= 32) of k rows into [k/4][32][4]; shifts int8 to uint8.
EW_INT8_TARGET void pack_tile(const uint8_t* x, int64_t ldx, int64_t k, int64_t n, bool flip, uint8_t* out) {
  const __mmask32 mask = mask32(n);
  const __m256i fl = _mm256_set1_epi8(flip ? static_cast<char>(0x80) : 0);
  const int64_t groups = (k + 3) / 4;
  for (int64_t g = 0; g < groups; ++g) {
    __m256i r[4];
    for (int i = 0; i < 4; ++i) {
      const int64_t kk = 4 * g + i;
      if (kk >= k) {
        r[i] = _mm256_setzero_si256();
        continue;
      }
      // Masked loads only for the tail: they are slower than plain ones on Zen 4.
      const __m256i v = n == 32 ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + kk * ldx))
                                : _mm256_maskz_loadu_epi8(mask, x + kk * ldx);
      r[i] = _mm256_xor_si256(v, fl);
    }
    const __m256i a0 = _mm256_unpacklo_epi8(r[0], r[1]), a1 = _mm256_unpackhi_epi8(r[0], r[1]);
    const __m256i b0 = _mm256_unpacklo_epi8(r[2], r[3]), b1 = _mm256_unpackhi_epi8(r[2], r[3]);
    const __m256i q0 = _mm256_unpacklo_epi16(a0, b0), q1 = _mm256_unpackhi_epi16(a0, b0);
    const __m256i q2 = _mm256_unpacklo_epi16(a1, b1), q3 = _mm256_unpackhi_epi16(a1, b1);
    uint8_t* o = out + g * 128;
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), _mm256_permute2x128_si256(q0, q1, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 32), _mm256_permute2x128_si256(q2, q3, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 64), _mm256_permute2x128_si256(q0, q1, 0x31));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 96), _mm256_permute2x128_si256(q2, q3, 0x31));
  }
}

// sum_k x'[k, p] for the 32 pixels of a packed tile (k padding is zero).
EW_INT8_TARGET void column_sums(const uint8_t* packed, int64_t groups, int32_t* sums) {
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
  for (int64_t g = 0; g < groups; ++g) {
    s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(packed + g * 128), ones);
    s1 = _mm512_dpbusd_epi32(s1, _mm512_loadu_si512(packed + g * 128 + 64), ones);
  }
  _mm512_storeu_si512(sums, s0);
  _mm512_storeu_si512(sums + 16, s1);
}

EW_INT8_TARGET inline __m512i broadcast4(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

// One 8-row block times one packed 32-pixel tile, requantized into y (n valid pixels).
EW_INT8_TARGET void tile_8x32(const Int8PackedWeights& w, const Int8Requant& rq, int64_t mb, const uint8_t* xp,
                              const int32_t* col_sums, int64_t n, uint8_t* y, int64_t ldy) {
  __m512i c[kGemmMR][2];
#pragma GCC unroll 8
  for (int r = 0; r < kGemmMR; ++r) c[r][0] = c[r][1] = _mm512_setzero_si512();
  const int8_t* wp = w.data.data() + mb * w.k_groups * kGemmMR * 4;
  for (int64_t g = 0; g < w.k_groups; ++g, wp += kGemmMR * 4, xp += 128) {
    const __m512i x0 = _mm512_loadu_si512(xp), x1 = _mm512_loadu_si512(xp + 64);
#pragma GCC unroll 8
    for (int r = 0; r < kGemmMR; ++r) {
      const __m512i wv = broadcast4(wp + r * 4);
      c[r][0] = _mm512_dpbusd_epi32(c[r][0], x0, wv);
      c[r][1] = _mm512_dpbusd_epi32(c[r][1], x1, wv);
    }
  }
  const RequantBounds b = requant_bounds(rq.y_signed, rq.y_zp);
  const __m512 lo = _mm512_set1_ps(b.lo), hi = _mm512_set1_ps(b.hi);
  const __m512i zp = _mm512_set1_epi32(b.zp);
  const int64_t rows = std::min<int64_t>(kGemmMR, w.m - mb * kGemmMR);
#pragma GCC unroll 8
  for (int r = 0; r < kGemmMR; ++r) {
    if (r >= rows) break;
    const int64_t m = mb * kGemmMR + r;
    const __m512i off = _mm512_set1_epi32(rq.row_offset[m]);
    const __m512 scale = _mm512_set1_ps(rq.scale[m]);
    for (int h = 0; h < 2; ++h) {
      const int64_t valid = n - 16 * h;
      if (valid <= 0) break;
      __m512i acc = _mm512_add_epi32(c[r][h], off);
      if (rq.need_col_sums)
        acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(_mm512_loadu_si512(col_sums + 16 * h),
                                                       _mm512_set1_epi32(rq.col_factor[m])));
      store16_u8(y + m * ldy + 16 * h, requant16(acc, scale, lo, hi, zp), valid);
    }
  }
}

EW_INT8_TARGET void gemm_tiles_avx512(const Int8PackedWeights& w, const Int8Requant& rq, const uint8_t* x,
                                      int64_t ldx, bool x_signed, int64_t n, int64_t mb0, int64_t mb1, uint8_t* y,
                                      int64_t ldy, uint8_t* scratch) {
  int32_t* sums = reinterpret_cast<int32_t*>(scratch);
  uint8_t* packed = scratch + kGemmNR * 4;
  for (int64_t p = 0; p < n; p += kGemmNR) {
    const int64_t np = std::min(kGemmNR, n - p);
    pack_tile(x + p, ldx, w.k, np, x_signed, packed);
    if (rq.need_col_sums) column_sums(packed, w.k_groups, sums);
    for (int64_t mb = mb0; mb < mb1; ++mb) tile_8x32(w, rq, mb, packed, sums, np, y + p, ldy);
  }
}

EW_INT8_TARGET void gather_stride2_avx512(uint8_t* dst, const uint8_t* src, int64_t n) {
  for (int64_t i = 0; i < n; i += 32) {
    const int64_t len = std::min<int64_t>(32, n - i);
    const __m512i v = _mm512_maskz_loadu_epi8(mask64(2 * len - 1), src + 2 * i);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), _mm512_cvtepi16_epi8(v));
  }
}

EW_INT8_TARGET void copy_spill_avx512(uint8_t* dst, const uint8_t* src, int64_t n) {
  for (int64_t i = 0; i < n; i += 64)
    _mm512_storeu_si512(dst + i, _mm512_maskz_loadu_epi8(mask64(n - i), src + i));
}

EW_INT8_TARGET void fill_spill_avx512(uint8_t* dst, uint8_t v, int64_t n) {
  const __m512i x = _mm512_set1_epi8(static_cast<char>(v));
  for (int64_t i = 0; i < n; i += 64) _mm512_storeu_si512(dst + i, x);
}

}  // namespace
#endif

void gather_stride2(uint8_t* dst, const uint8_t* src, int64_t n) {
#ifdef EW_INT8_X86
  gather_stride2_avx512(dst, src, n);
#else
  for (int64_t i = 0; i < n; ++i) dst[i] = src[2 * i];
#endif
}

void copy_spill(uint8_t* dst, const uint8_t* src, int64_t n) {
#ifdef EW_INT8_X86
  copy_spill_avx512(dst, src, n);
#else
  std::memcpy(dst, src, static_cast<size_t>(n));
#endif
}

void fill_spill(uint8_t* dst, uint8_t v, int64_t n) {
#ifdef EW_INT8_X86
  fill_spill_avx512(dst, v, n);
#else
  std::memset(dst, v, static_cast<size_t>(n));
#endif
}

void int8_gemm_tiles(const Int8PackedWeights& w, const Int8Requant& rq, const uint8_t* x, int64_t ldx,
                     bool x_signed, int64_t n, int64_t mb0, int64_t mb1, uint8_t* y, int64_t ldy,
                     uint8_t* scratch) {
#ifdef EW_INT8_X86
  gemm_tiles_avx512(w, rq, x, ldx, x_signed, n, mb0, mb1, y, ldy, scratch);
#else
  (void)w, (void)rq, (void)x, (void)ldx, (void)x_signed, (void)n, (void)mb0, (void)mb1, (void)y, (void)ldy,
      (void)scratch;
#endif
}

}  // namespace ew::quant::fast
