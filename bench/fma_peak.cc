// fma_peak: one core's fp32 FMA throughput, the "peak" that bench/compare's
// "% of peak" column divides by: independent FMA chains (12 ymm for AVX2, 24
// zmm for AVX-512, enough to hide the FMA latency behind two FMA pipes), the
// same probe the measured host device profile uses (src/device/host_benchmarks.h).
// Time is the thread's CPU time, so other load on a shared machine lowers the
// number less than wall time would.
// Usage: fma_peak [--seconds S] [--json]. One FMA = 2 FLOPs.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "device/host_benchmarks.h"

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
  const double avx2 = ew::measure_fp32_gflops("avx2+fma", seconds);
  const double avx512 = ew::measure_fp32_gflops("avx512f", seconds);
  const double peak = std::max(avx2, avx512);
  const char* isa = avx512 > 0 && avx512 >= avx2 ? "avx512f" : avx2 > 0 ? "avx2" : "none";
  if (json) {
    std::printf("{\"avx2_gflops\": %.2f, \"avx512_gflops\": %.2f, \"peak_gflops\": %.2f, \"isa\": \"%s\", "
                "\"avx2_accumulators\": 12, \"avx512_accumulators\": 24}\n",
                avx2, avx512, peak, isa);
  } else {
    if (avx2 > 0) std::printf("avx2+fma  12 x ymm chains: %7.2f GFLOP/s (one core, fp32)\n", avx2);
    if (avx512 > 0) std::printf("avx512f   24 x zmm chains: %7.2f GFLOP/s (one core, fp32)\n", avx512);
    std::printf("peak      %7.2f GFLOP/s per core (%s)\n", peak, isa);
  }
  return peak > 0 ? 0 : 1;
}
