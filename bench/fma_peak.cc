// fma_peak: one core's fp32 FMA throughput, the "peak" that bench/compare's
// "% of peak" column divides by. Each variant runs independent FMA chains
// (acc = acc * m + a) on enough accumulators to hide the FMA latency (4-5
// cycles here) behind the 2 FMA pipes: 12 ymm accumulators for AVX2, 24 zmm for
// AVX-512. The ISA is chosen at run time (__builtin_cpu_supports); the file
// builds with default flags, each kernel carries its own target attribute.
// Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so other load on a
// shared machine lowers the number less than wall time would.
// Usage: fma_peak [--seconds S] [--json]. One FMA = 2 FLOPs.
#include <immintrin.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
volatile float g_sink = 0;

constexpr int kAvx2Acc = 12;
constexpr int kAvx512Acc = 24;

// Returns FLOPs done in `iters` iterations.
__attribute__((target("avx2,fma"))) double avx2_chains(long iters) {
  __m256 acc[kAvx2Acc];
  for (int i = 0; i < kAvx2Acc; ++i) acc[i] = _mm256_set1_ps(1.0f + 0.01f * static_cast<float>(i));
  const __m256 m = _mm256_set1_ps(0.999999f), a = _mm256_set1_ps(1e-6f);
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < kAvx2Acc; ++i) acc[i] = _mm256_fmadd_ps(acc[i], m, a);
  }
  __m256 sum = acc[0];
  for (int i = 1; i < kAvx2Acc; ++i) sum = _mm256_add_ps(sum, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, sum);
  g_sink = out[0] + out[7];
  return static_cast<double>(iters) * kAvx2Acc * 8 * 2;
}

__attribute__((target("avx512f"))) double avx512_chains(long iters) {
  __m512 acc[kAvx512Acc];
  for (int i = 0; i < kAvx512Acc; ++i) acc[i] = _mm512_set1_ps(1.0f + 0.01f * static_cast<float>(i));
  const __m512 m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-6f);
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 24
    for (int i = 0; i < kAvx512Acc; ++i) acc[i] = _mm512_fmadd_ps(acc[i], m, a);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < kAvx512Acc; ++i) sum = _mm512_add_ps(sum, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, sum);
  g_sink = out[0] + out[15];
  return static_cast<double>(iters) * kAvx512Acc * 16 * 2;
}

// This thread's CPU time: on a shared machine, time spent preempted is not counted.
double thread_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Best GFLOP/s (FLOPs over thread CPU time) of ~20 ms repetitions for about `seconds` of wall time.
double measure(double (*kernel)(long), double seconds) {
  long iters = 1 << 16;
  for (;;) {  // calibrate to ~20 ms
    auto t0 = Clock::now();
    kernel(iters);
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (s > 0.02) break;
    iters *= 2;
  }
  double best = 0;
  auto start = Clock::now();
  int reps = 0;
  while (reps < 3 || std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
    double t0 = thread_seconds();
    double flops = kernel(iters);
    double s = thread_seconds() - t0;
    best = std::max(best, flops / s / 1e9);
    ++reps;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: fma_peak [--seconds S] [--json]\n");
      return 2;
    }
  }
  __builtin_cpu_init();
  bool has_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  bool has_avx512 = __builtin_cpu_supports("avx512f");
  double avx2 = has_avx2 ? measure(avx2_chains, seconds) : 0;
  double avx512 = has_avx512 ? measure(avx512_chains, seconds) : 0;
  double peak = std::max(avx2, avx512);
  const char* isa = avx512 >= avx2 && has_avx512 ? "avx512f" : has_avx2 ? "avx2" : "none";
  if (json) {
    std::printf("{\"avx2_gflops\": %.2f, \"avx512_gflops\": %.2f, \"peak_gflops\": %.2f, \"isa\": \"%s\", "
                "\"avx2_accumulators\": %d, \"avx512_accumulators\": %d}\n",
                avx2, avx512, peak, isa, kAvx2Acc, kAvx512Acc);
  } else {
    if (has_avx2) std::printf("avx2+fma  %2d x ymm chains: %7.2f GFLOP/s (one core, fp32)\n", kAvx2Acc, avx2);
    if (has_avx512) std::printf("avx512f   %2d x zmm chains: %7.2f GFLOP/s (one core, fp32)\n", kAvx512Acc, avx512);
    std::printf("peak      %7.2f GFLOP/s per core (%s)\n", peak, isa);
  }
  return peak > 0 ? 0 : 1;
}
