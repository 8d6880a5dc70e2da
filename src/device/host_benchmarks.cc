// Peak-throughput and bandwidth probes (idea from bench/fma_peak.cc): many
// independent accumulator chains hide the FMA / dot-product latency behind
// the issue width. ISA detection uses cpuinfo: GCC 12's __builtin_cpu_supports
// reports no AVX-512 VNNI on this Zen 4, cpuinfo does.
#include "device/host_benchmarks.h"

#include <cpuinfo.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ew {
namespace {

volatile float g_float_sink = 0;
volatile int32_t g_int_sink = 0;

// Each kernel runs `iters` iterations and returns the ops (2 per MAC) it did.
using Kernel = double (*)(long iters);

double scalar_fp32(long iters) {
  float acc[8];
  for (int i = 0; i < 8; ++i) acc[i] = 1.0f + 0.01f * static_cast<float>(i);
  for (long k = 0; k < iters; ++k)
    for (int i = 0; i < 8; ++i) acc[i] = acc[i] * 0.999999f + 1e-6f;
  g_float_sink = acc[0] + acc[7];
  return static_cast<double>(iters) * 8 * 2;
}

double scalar_int8(long iters) {
  int8_t a[16], b[16];
  for (int i = 0; i < 16; ++i) a[i] = static_cast<int8_t>(i - 8), b[i] = static_cast<int8_t>(3 - i);
  uint32_t acc[4] = {0, 0, 0, 0};  // unsigned: wrap-around is defined
  for (long k = 0; k < iters; ++k) {
    for (int i = 0; i < 16; ++i) acc[i & 3] += static_cast<uint32_t>(a[i] * b[i]);
    a[k & 15] = static_cast<int8_t>(a[k & 15] ^ 1);  // keeps the sum from being hoisted
  }
  g_int_sink = static_cast<int32_t>(acc[0] ^ acc[1] ^ acc[2] ^ acc[3]);
  return static_cast<double>(iters) * 16 * 2;
}

#if defined(__x86_64__)
constexpr int kAvx2Chains = 12;
constexpr int kAvx512Chains = 24;
constexpr int kDotChains = 16;

__attribute__((target("avx2,fma"))) double avx2_fp32(long iters) {
  __m256 acc[kAvx2Chains];
  for (int i = 0; i < kAvx2Chains; ++i) acc[i] = _mm256_set1_ps(1.0f + 0.01f * static_cast<float>(i));
  const __m256 m = _mm256_set1_ps(0.999999f), a = _mm256_set1_ps(1e-6f);
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < kAvx2Chains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], m, a);  // unrolled: chains stay in registers
  }
  __m256 sum = acc[0];
  for (int i = 1; i < kAvx2Chains; ++i) sum = _mm256_add_ps(sum, acc[i]);
  g_float_sink = _mm256_cvtss_f32(sum);
  return static_cast<double>(iters) * kAvx2Chains * 8 * 2;
}

__attribute__((target("avx512f"))) double avx512_fp32(long iters) {
  __m512 acc[kAvx512Chains];
  for (int i = 0; i < kAvx512Chains; ++i) acc[i] = _mm512_set1_ps(1.0f + 0.01f * static_cast<float>(i));
  const __m512 m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-6f);
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 24
    for (int i = 0; i < kAvx512Chains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], m, a);  // unrolled: chains stay in registers
  }
  __m512 sum = acc[0];
  for (int i = 1; i < kAvx512Chains; ++i) sum = _mm512_add_ps(sum, acc[i]);
  float lanes[16];
  _mm512_storeu_ps(lanes, sum);
  g_float_sink = lanes[0] + lanes[15];
  return static_cast<double>(iters) * kAvx512Chains * 16 * 2;
}

// vpmaddubsw (u8 x s8 -> pairs summed to s16) + vpmaddwd (-> s32) + vpaddd: 32 MACs.
__attribute__((target("avx2"))) double avx2_int8(long iters) {
  __m256i acc[kDotChains];
  for (int i = 0; i < kDotChains; ++i) acc[i] = _mm256_setzero_si256();
  __m256i a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(-2);
  const __m256i ones = _mm256_set1_epi16(1);
  for (long k = 0; k < iters; ++k) {
    __asm__ volatile("" : "+x"(b));  // the products must be recomputed every iteration
    for (int i = 0; i < kDotChains; ++i)
      acc[i] = _mm256_add_epi32(acc[i], _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), ones));
  }
  __m256i sum = acc[0];
  for (int i = 1; i < kDotChains; ++i) sum = _mm256_add_epi32(sum, acc[i]);
  g_int_sink = _mm256_extract_epi32(sum, 0);
  return static_cast<double>(iters) * kDotChains * 32 * 2;
}

// vpdpbusd: 64 u8 x s8 MACs accumulated into 16 s32 lanes per instruction.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) double avx512vnni_int8(long iters) {
  __m512i acc[kDotChains];
  for (int i = 0; i < kDotChains; ++i) acc[i] = _mm512_setzero_si512();
  const __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  for (long k = 0; k < iters; ++k)
    for (int i = 0; i < kDotChains; ++i) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
  __m512i sum = acc[0];
  for (int i = 1; i < kDotChains; ++i) sum = _mm512_add_epi32(sum, acc[i]);
  int32_t lanes[16];
  _mm512_storeu_si512(lanes, sum);
  g_int_sink = lanes[0] ^ lanes[15];
  return static_cast<double>(iters) * kDotChains * 64 * 2;
}
#endif

bool has_cpuinfo() {
  static const bool ok = cpuinfo_initialize();
  return ok;
}

double thread_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Calibrates to a ~10 ms run, then keeps the best of at least 3 runs within `seconds` of wall time.
double best_gops(Kernel kernel, double seconds) {
  using Clock = std::chrono::steady_clock;
  double slice = std::clamp(seconds / 16, 0.002, 0.01);  // short runs: more chances of an unloaded one
  long iters = 1 << 10;
  while (iters < (1L << 40)) {
    double t0 = thread_seconds();
    kernel(iters);
    if (thread_seconds() - t0 > slice) break;
    iters *= 2;
  }
  double best = 0;
  auto start = Clock::now();
  for (int reps = 0; reps < 3 || std::chrono::duration<double>(Clock::now() - start).count() < seconds; ++reps) {
    double t0 = thread_seconds();
    double ops = kernel(iters);
    double s = thread_seconds() - t0;
    if (s > 0) best = std::max(best, ops / s / 1e9);
  }
  return best;
}

}  // namespace

double measure_fp32_gflops(const std::string& isa, double seconds) {
#if defined(__x86_64__)
  if (isa == "avx512f" && has_cpuinfo() && cpuinfo_has_x86_avx512f()) return best_gops(avx512_fp32, seconds);
  if (isa == "avx2+fma" && has_cpuinfo() && cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3())
    return best_gops(avx2_fp32, seconds);
#endif
  return 0;
}

PeakMeasurement measure_fp32_peak(double seconds) {
  for (const char* isa : {"avx512f", "avx2+fma"})
    if (double g = measure_fp32_gflops(isa, seconds); g > 0) return {g, isa};
  return {best_gops(scalar_fp32, seconds), "scalar"};
}

PeakMeasurement measure_int8_peak(double seconds) {
#if defined(__x86_64__)
  if (has_cpuinfo() && cpuinfo_has_x86_avx512vnni() && cpuinfo_has_x86_avx512bw())
    return {best_gops(avx512vnni_int8, seconds), "avx512vnni"};
  if (has_cpuinfo() && cpuinfo_has_x86_avx2()) return {best_gops(avx2_int8, seconds), "avx2"};
#endif
  return {best_gops(scalar_int8, seconds), "scalar"};
}

double measure_copy_bandwidth(size_t buffer_bytes, int repeats) {
  using Clock = std::chrono::steady_clock;
  size_t half = std::max<size_t>(buffer_bytes / 2, 4096);
  std::unique_ptr<char[]> src(new (std::nothrow) char[half]);
  std::unique_ptr<char[]> dst(new (std::nothrow) char[half]);
  if (!src || !dst) return 0;
  std::memset(src.get(), 1, half);  // touch every page before timing
  std::memset(dst.get(), 2, half);
  double best = 0;
  for (int r = 0; r < std::max(1, repeats); ++r) {
    auto t0 = Clock::now();
    std::memcpy(dst.get(), src.get(), half);
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (s > 0) best = std::max(best, 2.0 * static_cast<double>(half) / s / 1e9);
  }
  g_int_sink = dst[half / 2];
  return best;
}

}  // namespace ew
