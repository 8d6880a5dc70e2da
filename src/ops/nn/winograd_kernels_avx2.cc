// AVX2+FMA variant of the Winograd phases (16 lanes as two ymm registers).
#include <immintrin.h>

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

#include "ops/nn/winograd_kernels_body.h"

#undef WG_TARGET

}  // namespace winograd_avx2

const WinogradKernels* winograd_kernels_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &winograd_avx2::kKernels : nullptr;
}

}  // namespace ew
