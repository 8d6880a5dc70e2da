// Weight transform of Winograd F(4x4, 3x3) and the choice of kernel variant.
#include "ops/nn/winograd_kernels.h"

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

}  // namespace

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
