// Micro-benchmarks behind the measured host profile: one core's fp32 FMA and
// int8 dot-product peak, and single-thread streaming memory bandwidth.
// ISA kernels carry their own target attribute and are chosen at run time;
// each has a portable fallback, so this builds with default flags.
#pragma once

#include <cstddef>
#include <string>

namespace ew {

struct PeakMeasurement {
  double gops = 0;  // ops/s / 1e9, one MAC = 2 ops
  std::string isa;  // kernel that produced it, e.g. "avx512f", "avx512vnni", "scalar"
};

// Best of many ~10 ms runs within `seconds` on the calling thread, timed with
// the thread's CPU clock (time spent preempted on a shared machine is not counted).
PeakMeasurement measure_fp32_peak(double seconds);
// One core's fp32 FMA GFLOP/s with one ISA, "avx2+fma" (12 ymm chains) or
// "avx512f" (24 zmm chains); 0 when this CPU lacks it. bench/fma_peak prints both.
double measure_fp32_gflops(const std::string& isa, double seconds);
PeakMeasurement measure_int8_peak(double seconds);

// Bytes read + written per second by a copy over two `buffer_bytes / 2` arrays,
// best of `repeats` passes (wall clock). Returns 0 if the buffer cannot be allocated.
double measure_copy_bandwidth(size_t buffer_bytes, int repeats);

}  // namespace ew
