#include "ops/fast/sgemm.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "ops/fast/transpose8x8_avx2.h"
#define EW_SGEMM_X86 1
#endif

namespace ew::fast {
namespace {

constexpr int kMR = 6;
constexpr int64_t kNR = kSgemmNR;
constexpr int64_t kKC = 256;
constexpr int64_t kMC = 72;
constexpr int64_t kPackSlack = 8;  // floats past a packed A block its vector stores may touch

// Arguments of one microkernel call: C[mr, nr] (=|+=) alpha * A[mr, kc] * panel[kc, 16],
// with A packed: element (r, k) at a[k * kMR + r].
struct Tile {
  const float* a;
  const float* b;  // kc rows of kNR floats
  int64_t kc;
  float* c;
  int64_t ldc;
  int64_t nr;  // valid columns, 1..16
  float alpha;
  bool accumulate;
  const float* bias = nullptr;  // epilogue (last k block): per-row bias of the tile's rows,
  bool clamp = false;           // and the clamp to [lo, hi]
  float lo = 0, hi = 0;
};

// Writes an mr x 16 tile held in `acc` to C, honouring nr, alpha, accumulate and the epilogue.
template <int MR>
void store_tile(const float (&acc)[MR][kNR], const Tile& t) {
  for (int r = 0; r < MR; ++r) {
    float* c = t.c + r * t.ldc;
    for (int64_t j = 0; j < t.nr; ++j) {
      float v = t.accumulate ? c[j] + t.alpha * acc[r][j] : t.alpha * acc[r][j];
      if (t.bias) v += t.bias[r];
      if (t.clamp) v = std::min(std::max(v, t.lo), t.hi);
      c[j] = v;
    }
  }
}

template <int MR>
void tile_portable(const Tile& t) {
  float acc[MR][kNR] = {};
  const float* a = t.a;
  const float* b = t.b;
  for (int64_t k = 0; k < t.kc; ++k, a += kMR, b += kNR)
    for (int r = 0; r < MR; ++r) {
      const float av = a[r];
      for (int64_t j = 0; j < kNR; ++j) acc[r][j] += av * b[j];
    }
  store_tile<MR>(acc, t);
}

#ifdef EW_SGEMM_X86
template <int MR>
__attribute__((target("avx2,fma"))) void tile_avx2(const Tile& t) {
  __m256 c0[MR], c1[MR];
  #pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) c0[r] = c1[r] = _mm256_setzero_ps();
  const float* a = t.a;
  const float* b = t.b;
  for (int64_t k = 0; k < t.kc; ++k, a += kMR, b += kNR) {
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    #pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256 av = _mm256_broadcast_ss(a + r);
      c0[r] = _mm256_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(av, b1, c1[r]);
    }
  }
  const __m256 alpha = _mm256_set1_ps(t.alpha);
  if (t.nr == kNR) {
    #pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      float* c = t.c + r * t.ldc;
      __m256 v0 = _mm256_mul_ps(alpha, c0[r]), v1 = _mm256_mul_ps(alpha, c1[r]);
      if (t.accumulate) {
        v0 = _mm256_add_ps(_mm256_loadu_ps(c), v0);
        v1 = _mm256_add_ps(_mm256_loadu_ps(c + 8), v1);
      }
      if (t.bias) {
        const __m256 b = _mm256_broadcast_ss(t.bias + r);
        v0 = _mm256_add_ps(v0, b);
        v1 = _mm256_add_ps(v1, b);
      }
      if (t.clamp) {
        const __m256 lo = _mm256_set1_ps(t.lo), hi = _mm256_set1_ps(t.hi);
        v0 = _mm256_min_ps(_mm256_max_ps(v0, lo), hi);
        v1 = _mm256_min_ps(_mm256_max_ps(v1, lo), hi);
      }
      _mm256_storeu_ps(c, v0);
      _mm256_storeu_ps(c + 8, v1);
    }
    return;
  }
  alignas(32) float acc[MR][kNR];
  #pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
    _mm256_store_ps(acc[r], c0[r]);
    _mm256_store_ps(acc[r] + 8, c1[r]);
  }
  store_tile<MR>(acc, t);
}
#endif

using TileFn = void (*)(const Tile&);
using PackFn = void (*)(const float* A, int64_t rows, int64_t kc, int64_t rsa, int64_t csa, float* dst);

struct KernelSet {
  TileFn rows[kMR + 1];
  const char* name;
  PackFn pack_a;
};

void pack_a_portable(const float* A, int64_t rows, int64_t kc, int64_t rsa, int64_t csa, float* dst);
#ifdef EW_SGEMM_X86
void pack_a_avx2(const float* A, int64_t rows, int64_t kc, int64_t rsa, int64_t csa, float* dst);
#endif

KernelSet select_kernels() {
#ifdef EW_SGEMM_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {{nullptr, tile_avx2<1>, tile_avx2<2>, tile_avx2<3>, tile_avx2<4>, tile_avx2<5>, tile_avx2<6>},
            "avx2_fma_6x16", pack_a_avx2};
#endif
  return {{nullptr, tile_portable<1>, tile_portable<2>, tile_portable<3>, tile_portable<4>, tile_portable<5>,
           tile_portable<6>},
          "portable_6x16", pack_a_portable};
}

const KernelSet& kernels() {
  static const KernelSet k = select_kernels();
  return k;
}

struct Job {
  SgemmShape s;
  const float* A;
  const int64_t* a_off;
  const float* packed_b;
  const int64_t* b_off;
  float* C;
  const int64_t* c_off;
  int64_t mc, nc, m_blocks, n_blocks;
  const KernelSet* ks;
};

void zero_or_keep(const Job& j, float* c, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
  if (j.s.accumulate) return;
  for (int64_t m = m0; m < m1; ++m) std::memset(c + m * j.s.ldc + n0, 0, sizeof(float) * (n1 - n0));
}

// Packs A[rows, kc] (element (m, k) at A[m * rsa + k * csa]) into panels of kMR
// rows: panel p holds (r, k) at dst[p * kMR * kc + k * kMR + r]; a short last
// panel keeps the kMR stride. dst has kPackSlack floats to spare at its end.
void pack_a_portable(const float* A, int64_t rows, int64_t kc, int64_t rsa, int64_t csa, float* dst) {
  for (int64_t p = 0; p < rows; p += kMR) {
    const int64_t mr = std::min<int64_t>(kMR, rows - p);
    float* d = dst + p * kc;
    const float* a = A + p * rsa;
    for (int64_t k = 0; k < kc; ++k)
      for (int64_t r = 0; r < mr; ++r) d[k * kMR + r] = a[r * rsa + k * csa];
  }
}

#ifdef EW_SGEMM_X86
// Full panels of 6 rows with vector moves: rows contiguous along k (csa 1)
// go 8 k at a time through an 8x8 transpose; columns contiguous along m
// (rsa 1) are one masked 6-float load per k. Each k's 6 floats are stored as
// 8 in increasing order, the 2 extra overwritten by the next k (or landing in
// the next panel, or the slack, before those are written).
__attribute__((target("avx2,fma"))) void pack_a_avx2(const float* A, int64_t rows, int64_t kc, int64_t rsa,
                                                     int64_t csa, float* dst) {
  const int64_t full = rows / kMR * kMR;
  if (csa == 1) {
    for (int64_t p = 0; p < full; p += kMR) {
      float* d = dst + p * kc;
      const float* a = A + p * rsa;
      int64_t k = 0;
      for (; k + 8 <= kc; k += 8) {
        __m256 r[8];
        for (int i = 0; i < kMR; ++i) r[i] = _mm256_loadu_ps(a + i * rsa + k);
        r[6] = r[7] = _mm256_setzero_ps();
        transpose8x8_avx2(r);
        for (int i = 0; i < 8; ++i) _mm256_storeu_ps(d + (k + i) * kMR, r[i]);
      }
      for (; k < kc; ++k)
        for (int64_t i = 0; i < kMR; ++i) d[k * kMR + i] = a[i * rsa + k];
    }
  } else if (rsa == 1) {
    const __m256i six = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0);
    for (int64_t p = 0; p < full; p += kMR) {
      float* d = dst + p * kc;
      const float* a = A + p;
      for (int64_t k = 0; k < kc; ++k) _mm256_storeu_ps(d + k * kMR, _mm256_maskload_ps(a + k * csa, six));
    }
  } else {
    return pack_a_portable(A, rows, kc, rsa, csa, dst);
  }
  if (full < rows) pack_a_portable(A + full * rsa, rows - full, kc, rsa, csa, dst + full * kc);
}
#endif

void run_task(void* arg, size_t task) {
  const Job& j = *static_cast<const Job*>(arg);
  const SgemmShape& s = j.s;
  const int64_t per_batch = j.m_blocks * j.n_blocks;
  const int64_t bi = static_cast<int64_t>(task) / per_batch, rest = static_cast<int64_t>(task) % per_batch;
  const int64_t m0 = rest / j.n_blocks * j.mc, n0 = rest % j.n_blocks * j.nc;
  const int64_t m1 = std::min(s.M, m0 + j.mc), n1 = std::min(s.N, n0 + j.nc);
  const float* A = j.A + (j.a_off ? j.a_off[bi] : 0);
  const float* B = j.packed_b + (j.b_off ? j.b_off[bi] : 0);
  float* C = j.C + (j.c_off ? j.c_off[bi] : 0);
  if (s.K == 0) return zero_or_keep(j, C, m0, m1, n0, n1);
  alignas(64) float apack[kMC * kKC + kPackSlack];
  for (int64_t k0 = 0; k0 < s.K; k0 += kKC) {
    Tile t{};
    t.kc = std::min(kKC, s.K - k0);
    j.ks->pack_a(A + m0 * s.rsa + k0 * s.csa, m1 - m0, t.kc, s.rsa, s.csa, apack);
    t.ldc = s.ldc;
    t.alpha = s.alpha;
    t.accumulate = s.accumulate || k0 > 0;
    const bool last = k0 + t.kc >= s.K;
    t.clamp = last && s.clamp;
    t.lo = s.clamp_min;
    t.hi = s.clamp_max;
    for (int64_t n = n0; n < n1; n += kNR) {
      t.b = B + n * s.K + k0 * kNR;
      t.nr = std::min(kNR, n1 - n);
      for (int64_t m = m0; m < m1; m += kMR) {
        const int mr = static_cast<int>(std::min<int64_t>(kMR, m1 - m));
        t.a = apack + (m - m0) * t.kc;
        t.c = C + m * s.ldc + n;
        t.bias = last && s.row_bias ? s.row_bias + m : nullptr;
        j.ks->rows[mr](t);
      }
    }
  }
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }

}  // namespace

void pack_b(const float* B, int64_t K, int64_t N, int64_t rs, int64_t cs, float* dst) {
  for (int64_t n0 = 0; n0 < N; n0 += kNR) {
    const int64_t w = std::min(kNR, N - n0);
    float* panel = dst + n0 * K;
    for (int64_t k = 0; k < K; ++k) {
      const float* src = B + k * rs + n0 * cs;
      float* d = panel + k * kNR;
      if (cs == 1) {
        std::memcpy(d, src, sizeof(float) * w);
      } else {
        for (int64_t c = 0; c < w; ++c) d[c] = src[c * cs];
      }
      for (int64_t c = w; c < kNR; ++c) d[c] = 0.0f;
    }
  }
}

namespace {

struct PackJob {
  const float* B;
  int64_t stride, K, N, rs, cs;
  float* dst;
};

void pack_one(void* arg, size_t i) {
  const PackJob& p = *static_cast<const PackJob*>(arg);
  const int64_t b = static_cast<int64_t>(i);
  pack_b(p.B + b * p.stride, p.K, p.N, p.rs, p.cs, p.dst + b * packed_b_size(p.K, p.N));
}

}  // namespace

void pack_b_batched(const float* B, int64_t count, int64_t stride, int64_t K, int64_t N, int64_t rs, int64_t cs,
                    float* dst, pthreadpool_t pool) {
  PackJob job{B, stride, K, N, rs, cs, dst};
  if (!pool || count == 1 || count * K * N < 65536) {
    for (int64_t i = 0; i < count; ++i) pack_one(&job, static_cast<size_t>(i));
    return;
  }
  pthreadpool_parallelize_1d(pool, pack_one, &job, static_cast<size_t>(count), 0);
}

void sgemm_batched(const SgemmShape& s, int64_t count, const float* A, const int64_t* a_off, const float* packed_b,
                   const int64_t* b_off, float* C, const int64_t* c_off, pthreadpool_t pool) {
  if (count <= 0 || s.M <= 0 || s.N <= 0) return;
  // Below ~0.5 MFLOP waking the pool costs more than it saves (measured: attention
  // products at seq 32 ran slower on 2 threads).
  const double flops = 2.0 * double(count) * double(s.M) * double(s.N) * double(s.K);
  const int64_t threads = pool && flops >= 5e5 ? static_cast<int64_t>(pthreadpool_get_threads_count(pool)) : 1;
  int64_t mc = std::min(kMC, round_up(s.M, kMR)), nc = round_up(s.N, kNR);
  auto tasks = [&] { return count * ceil_div(s.M, mc) * ceil_div(s.N, nc); };
  if (threads > 1) {
    while (tasks() < 4 * threads && nc > 64) nc = round_up(nc / 2, kNR);
    while (tasks() < 4 * threads && mc > 2 * kMR) mc = round_up(mc / 2, kMR);
  }
  Job job{s, A, a_off, packed_b, b_off, C, c_off, mc, nc, ceil_div(s.M, mc), ceil_div(s.N, nc), &kernels()};
  const size_t n = static_cast<size_t>(tasks());
  if (threads <= 1 || n == 1) {
    for (size_t i = 0; i < n; ++i) run_task(&job, i);
    return;
  }
  pthreadpool_parallelize_1d(pool, run_task, &job, n, 0);
}

const char* sgemm_kernel_name() { return kernels().name; }

}  // namespace ew::fast
