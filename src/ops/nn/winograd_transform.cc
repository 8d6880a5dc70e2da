// Weight transform of Winograd F(4x4, 3x3) and the choice of kernel variant.
#include "ops/nn/winograd_kernels.h"

#include <algorithm>

namespace ew {
namespace {

// G (6x3) of F(4, 3) with interpolation points 0, ±1, ±2, ∞.
constexpr double kG[6][3] = {
    {1.0 / 4, 0, 0},
    {-1.0 / 6, -1.0 / 6, -1.0 / 6},
    {-1.0 / 6, 1.0 / 6, -1.0 / 6},
    {1.0 / 24, 1.0 / 12, 1.0 / 6},
    {1.0 / 24, -1.0 / 12, 1.0 / 6},
    {0, 0, 1},
};

void transform_filter(const float* g, double out[6][6]) {
  double tmp[6][3];  // G g
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 3; ++j) tmp[i][j] = kG[i][0] * g[j] + kG[i][1] * g[3 + j] + kG[i][2] * g[6 + j];
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) out[i][j] = tmp[i][0] * kG[j][0] + tmp[i][1] * kG[j][1] + tmp[i][2] * kG[j][2];
}

constexpr float kGf[6][3] = {
    {1.0f / 4, 0, 0},
    {-1.0f / 6, -1.0f / 6, -1.0f / 6},
    {-1.0f / 6, 1.0f / 6, -1.0f / 6},
    {1.0f / 24, 1.0f / 12, 1.0f / 6},
    {1.0f / 24, -1.0f / 12, 1.0f / 6},
    {0, 0, 1},
};

struct FilterSource {
  const float* w;
  int64_t cout, cin, k_stride, c_stride;
  bool flip;
};

// G g Gᵀ for the filters (k0 .. k0 + 15, c), lanes past cout zero, into
// dst[p · point_stride + lane]; the lane loops vectorize.
// Inlined into each ISA's entry point, so each compiles it for its ISA.
#define EW_INLINE inline __attribute__((always_inline))

EW_INLINE void transform_block(const FilterSource& s, int64_t k0, int64_t c, float* dst, int64_t point_stride) {
  const int64_t lanes = std::min<int64_t>(kWinogradLanes, s.cout - k0);
  float g[9][kWinogradLanes];
  for (int t = 0; t < 9; ++t) {
    const float* src = s.w + k0 * s.k_stride + c * s.c_stride + (s.flip ? 8 - t : t);
    for (int64_t l = 0; l < kWinogradLanes; ++l) g[t][l] = l < lanes ? src[l * s.k_stride] : 0.0f;
  }
  float tmp[6][3][kWinogradLanes];
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 3; ++j)
      for (int l = 0; l < kWinogradLanes; ++l)
        tmp[i][j][l] = kGf[i][0] * g[j][l] + kGf[i][1] * g[3 + j][l] + kGf[i][2] * g[6 + j][l];
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      float* out = dst + (i * 6 + j) * point_stride;
      for (int l = 0; l < kWinogradLanes; ++l)
        out[l] = tmp[i][0][l] * kGf[j][0] + tmp[i][1][l] * kGf[j][1] + tmp[i][2][l] * kGf[j][2];
    }
}

EW_INLINE void transform_all(const FilterSource& s, const WinogradDims& d, float* u) {
  const int64_t point_stride = d.cout_pad / kWinogradLanes * d.cin_pad * kWinogradLanes;
  for (int64_t k0 = 0; k0 < s.cout; k0 += kWinogradLanes)
    for (int64_t c = 0; c < s.cin; ++c)
      transform_block(s, k0, c, u + k0 * d.cin_pad + c * kWinogradLanes, point_stride);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) void transform_all_avx2(const FilterSource& s, const WinogradDims& d, float* u) {
  transform_all(s, d, u);
}
#endif

}  // namespace

void winograd_transform_weights_f32(const float* w, int64_t cout, int64_t cin, int64_t k_stride, int64_t c_stride,
                                    bool flip, const WinogradDims& d, float* u) {
  const FilterSource s{w, cout, cin, k_stride, c_stride, flip};
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return transform_all_avx2(s, d, u);
#endif
  transform_all(s, d, u);
}

void winograd_transform_weights(const float* w, int64_t cout, int64_t cin, const WinogradDims& d, float* u) {
  const int64_t kblocks = d.cout_pad / kWinogradLanes;
  const int64_t point_stride = kblocks * d.cin_pad * kWinogradLanes;
  for (int64_t i = 0; i < kWinogradPoints * point_stride; ++i) u[i] = 0.0f;
  double t[6][6];
  for (int64_t k = 0; k < cout; ++k) {
    for (int64_t c = 0; c < cin; ++c) {
      transform_filter(w + (k * cin + c) * 9, t);
      float* dst = u + (k / kWinogradLanes) * d.cin_pad * kWinogradLanes + c * kWinogradLanes + k % kWinogradLanes;
      for (int p = 0; p < kWinogradPoints; ++p) dst[p * point_stride] = static_cast<float>(t[p / 6][p % 6]);
    }
  }
}

const WinogradKernels* winograd_kernels_best() {
  if (const WinogradKernels* k = winograd_kernels_avx512()) return k;
  if (const WinogradKernels* k = winograd_kernels_avx2()) return k;
  return winograd_kernels_portable();
}

}  // namespace ew
