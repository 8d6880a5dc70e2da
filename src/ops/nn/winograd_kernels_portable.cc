// Portable variant of the Winograd phases: plain loops over 16 lanes, for
// CPUs without AVX2 (and as a second implementation the tests compare).
#include "ops/nn/winograd_kernels.h"

namespace ew {
namespace winograd_portable {

#define WG_TARGET
constexpr const char* kIsaName = "portable";
constexpr int kMr = 4;

struct V {
  float v[16];
};
inline V vload(const float* p) {
  V r;
  for (int l = 0; l < 16; ++l) r.v[l] = p[l];
  return r;
}
inline void vstore(float* p, V a) {
  for (int l = 0; l < 16; ++l) p[l] = a.v[l];
}
inline V vset1(float x) {
  V r;
  for (int l = 0; l < 16; ++l) r.v[l] = x;
  return r;
}
inline V vzero() { return vset1(0.0f); }
inline V vadd(V a, V b) {
  for (int l = 0; l < 16; ++l) a.v[l] += b.v[l];
  return a;
}
inline V vsub(V a, V b) {
  for (int l = 0; l < 16; ++l) a.v[l] -= b.v[l];
  return a;
}
inline V vfma(V a, V b, V c) {
  for (int l = 0; l < 16; ++l) c.v[l] += a.v[l] * b.v[l];
  return c;
}

#include "ops/nn/winograd_kernels_body.h"

#undef WG_TARGET

}  // namespace winograd_portable

const WinogradKernels* winograd_kernels_portable() { return &winograd_portable::kKernels; }

}  // namespace ew
