#include "ops/fast/int8_matmul.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/fast/int8_simd.h"

namespace ew::fast {
namespace {

constexpr int kRows = 4;

#ifdef EW_INT8_X86

template <int R>
EW_INT8_TARGET void tile(const Int8MatMulArgs& r, int64_t m0, int64_t p0, int64_t np) {
  const Int8PackedB& w = *r.b;
  const int64_t lda = w.k_groups * 4;
  __m512i acc[R][2];
  for (int i = 0; i < R; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_si512();
  const int8_t* b0 = w.packed.data() + p0 * w.k_groups * 64;
  const int8_t* b1 = np > 1 ? b0 + w.k_groups * 64 : b0;
  for (int64_t g = 0; g < w.k_groups; ++g) {
    const __m512i v0 = _mm512_loadu_si512(b0 + g * 64), v1 = _mm512_loadu_si512(b1 + g * 64);
    for (int i = 0; i < R; ++i) {
      int32_t four;
      std::memcpy(&four, r.a + (m0 + i) * lda + g * 4, 4);
      const __m512i a = _mm512_set1_epi32(four);
      acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], a, v0);
      acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], a, v1);
    }
  }
  alignas(64) int32_t out[R * kInt8TileN];
  const __m512i az = _mm512_set1_epi32(r.a_zp), kaz = _mm512_set1_epi32(static_cast<int32_t>(w.K) * r.a_zp);
  for (int64_t h = 0; h < 2; ++h) {
    const int64_t c = (p0 + std::min<int64_t>(h, np - 1)) * kInt8Panel;
    const __m512i colsum = _mm512_loadu_si512(w.colsum.data() + c), bz = _mm512_loadu_si512(w.zp.data() + c);
    const __m512i kazbz = _mm512_mullo_epi32(kaz, bz);
    for (int i = 0; i < R; ++i) {
      __m512i v = _mm512_sub_epi32(acc[i][h], _mm512_mullo_epi32(az, colsum));
      if (w.any_zp) v = _mm512_sub_epi32(v, _mm512_mullo_epi32(bz, _mm512_set1_epi32(r.rowsum[m0 + i])));
      _mm512_store_si512(out + i * kInt8TileN + h * kInt8Panel, _mm512_add_epi32(v, kazbz));
    }
  }
  const int64_t n0 = p0 * kInt8Panel;
  r.epilogue(r.context, m0, R, n0, std::min<int64_t>(np * kInt8Panel, w.N - n0), out);
}

// Task t: panels [2t, 2t + 2) for every row.
EW_INT8_TARGET void run_columns(void* p, size_t t) {
  const Int8MatMulArgs& r = *static_cast<const Int8MatMulArgs*>(p);
  const int64_t p0 = static_cast<int64_t>(t) * 2, np = std::min<int64_t>(2, r.b->panels - p0);
  int64_t m = 0;
  for (; m + kRows <= r.M; m += kRows) tile<kRows>(r, m, p0, np);
  for (; m < r.M; ++m) tile<1>(r, m, p0, np);
}

#define EW_AVX2_TARGET __attribute__((target("avx2,fma")))
constexpr int kAvx2Rows = 2;

// AVX2: R rows x 32 columns (two panels) per tile, from int16 pairs of k:
// vpmaddwd gives a[k] b[k] + a[k+1] b[k+1] per column in 32 bits, exactly.
template <int R>
EW_AVX2_TARGET void tile_avx2(const Int8MatMulArgs& r, int64_t m0, int64_t p0, int64_t np) {
  const Int8PackedB& w = *r.b;
  const int64_t lda = w.k_groups * 4, pairs = w.k_groups * 2;
  __m256i acc[R][4];
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < 4; ++j) acc[i][j] = _mm256_setzero_si256();
  const int16_t* b0 = w.packed16.data() + p0 * pairs * 32;
  const int16_t* b1 = np > 1 ? b0 + pairs * 32 : b0;
  for (int64_t q = 0; q < pairs; ++q) {
    const __m256i v[4] = {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b0 + q * 32)),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b0 + q * 32 + 16)),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b1 + q * 32)),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b1 + q * 32 + 16))};
    for (int i = 0; i < R; ++i) {
      const uint8_t* a = r.a + (m0 + i) * lda + 2 * q;
      const __m256i pair = _mm256_set1_epi32(static_cast<int32_t>(a[0]) | (static_cast<int32_t>(a[1]) << 16));
      for (int j = 0; j < 4; ++j) acc[i][j] = _mm256_add_epi32(acc[i][j], _mm256_madd_epi16(pair, v[j]));
    }
  }
  alignas(32) int32_t out[R * kInt8TileN];
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < 4; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(out + i * kInt8TileN + j * 8), acc[i][j]);
  const int64_t kaz = w.K * r.a_zp;
  for (int64_t h = 0; h < 2; ++h) {
    const int64_t c = (p0 + std::min<int64_t>(h, np - 1)) * kInt8Panel;
    for (int i = 0; i < R; ++i)
      for (int64_t j = 0; j < kInt8Panel; ++j) {
        int32_t& v = out[i * kInt8TileN + h * kInt8Panel + j];
        v += static_cast<int32_t>(kaz * w.zp[c + j]) - r.a_zp * w.colsum[c + j];
        if (w.any_zp) v -= w.zp[c + j] * r.rowsum[m0 + i];
      }
  }
  const int64_t n0 = p0 * kInt8Panel;
  r.epilogue(r.context, m0, R, n0, std::min<int64_t>(np * kInt8Panel, w.N - n0), out);
}

EW_AVX2_TARGET void run_columns_avx2(void* p, size_t t) {
  const Int8MatMulArgs& r = *static_cast<const Int8MatMulArgs*>(p);
  const int64_t p0 = static_cast<int64_t>(t) * 2, np = std::min<int64_t>(2, r.b->panels - p0);
  int64_t m = 0;
  for (; m + kAvx2Rows <= r.M; m += kAvx2Rows) tile_avx2<kAvx2Rows>(r, m, p0, np);
  for (; m < r.M; ++m) tile_avx2<1>(r, m, p0, np);
}

bool has_avx2() {
  static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return ok;
}

#endif

}  // namespace

bool int8_matmul_supported() {
#ifdef EW_INT8_X86
  return quant::fast::int8_kernels_supported() || has_avx2();
#else
  return false;
#endif
}

template <typename B>
void pack_int8_b(const B* b, int64_t K, int64_t N, bool transposed, const std::vector<int32_t>& zp, Int8PackedB* w) {
  w->K = K;
  w->N = N;
  w->k_groups = (K + 3) / 4;
  w->panels = (N + kInt8Panel - 1) / kInt8Panel;
  const int64_t cols = w->panels * kInt8Panel;
  const bool vnni = quant::fast::int8_kernels_supported();
  w->packed.assign(vnni ? static_cast<size_t>(w->panels * w->k_groups * 64) : 0, 0);
  w->packed16.assign(vnni ? 0 : static_cast<size_t>(w->panels * w->k_groups * 128), 0);
  w->colsum.assign(cols, 0);
  w->zp.assign(cols, 0);
  w->any_zp = false;
  const int32_t shift = std::is_same_v<B, uint8_t> ? 128 : 0;
  for (int64_t n = 0; n < N; ++n) {
    w->zp[n] = (zp.empty() ? 0 : zp[zp.size() == 1 ? 0 : n]) - shift;
    w->any_zp = w->any_zp || w->zp[n] != 0;
    for (int64_t k = 0; k < K; ++k) {
      const int32_t v = static_cast<int32_t>(b[transposed ? n * K + k : k * N + n]) - shift;
      if (vnni)
        w->packed[((n / kInt8Panel) * w->k_groups + k / 4) * 64 + (n % kInt8Panel) * 4 + k % 4] = static_cast<int8_t>(v);
      else
        w->packed16[((n / kInt8Panel) * w->k_groups * 2 + k / 2) * 32 + (n % kInt8Panel) * 2 + k % 2] =
            static_cast<int16_t>(v);
      w->colsum[n] += v;
    }
  }
}

template void pack_int8_b<int8_t>(const int8_t*, int64_t, int64_t, bool, const std::vector<int32_t>&, Int8PackedB*);
template void pack_int8_b<uint8_t>(const uint8_t*, int64_t, int64_t, bool, const std::vector<int32_t>&, Int8PackedB*);

void int8_matmul(const Int8MatMulArgs& args, pthreadpool_t pool) {
#ifdef EW_INT8_X86
  pthreadpool_parallelize_1d(pool, args.b->packed.empty() ? run_columns_avx2 : run_columns,
                             const_cast<Int8MatMulArgs*>(&args), static_cast<size_t>((args.b->panels + 1) / 2), 0);
#endif
}

void int8_row_sums(const uint8_t* a, int64_t M, int64_t lda, int64_t K, int32_t* rowsum) {
  for (int64_t m = 0; m < M; ++m) {
    int32_t s = 0;
    for (int64_t k = 0; k < K; ++k) s += a[m * lda + k];
    rowsum[m] = s;
  }
}

}  // namespace ew::fast
