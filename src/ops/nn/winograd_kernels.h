// Winograd F(4x4, 3x3) building blocks for fp32 3x3 stride-1 convolution.
//
// A 6x6 input tile d gives a 4x4 output tile Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A,
// 36 multiplies per tile and channel pair instead of 144. Over channels the
// elementwise product becomes 36 independent GEMMs, M[ξ] = V[ξ] · U[ξ], one per
// tile position ξ, which is where the time goes.
//
// Channels are handled in blocks of kWinogradLanes floats (the vector width of
// the widest ISA), so transforms vectorize over channels. Layouts (floats):
//   padded input  [Cp/16][Hp][Wp][16]   zero border and zero channel tail
//   U (weights)   [36][Kp/16][Cp][16]   G g Gᵀ, packed panels of 16 outputs
//   V (block)     [36][TB][Cp]          transformed input of TB tiles (+ padding)
//   M (block)     [36][TB][Kp]          products, one row per tile (+ padding)
//   staged output [Kp/16][SH][SW][16]   4x4 tiles before bias/activation
// Cp, Kp are Cin, Cout rounded up to 16; SH = 4·tiles_h, SW = 4·tiles_w,
// Hp = SH + 2, Wp = SW + 2.
#pragma once

#include <cstdint>

namespace ew {

inline constexpr int kWinogradLanes = 16;
inline constexpr int kWinogradPoints = 36;  // 6x6 tile positions

struct WinogradDims {
  int64_t cin_pad = 0, cout_pad = 0;   // Cp, Kp
  int64_t tiles_h = 0, tiles_w = 0;
  int64_t padded_h = 0, padded_w = 0;  // Hp, Wp
  int64_t staged_h = 0, staged_w = 0;  // SH, SW
  int64_t block_tiles = 0;             // TB: capacity of a V/M block
  // Floats between tile positions in V and M: TB·Cp and TB·Kp rounded up to an
  // odd number of cache lines, so the 36 positions of a tile fall in distinct
  // L1 sets (a multiple of 4 KiB would put them all in one set).
  int64_t v_point_stride = 0, m_point_stride = 0;
  int64_t tiles() const { return tiles_h * tiles_w; }
};

// One instruction-set variant of the three inner phases; all loops over
// tiles [t0, t0 + count) use block-local tile rows 0..count-1 in V and M, and
// output channel blocks [kb0, kb1) (units of 16 channels).
struct WinogradKernels {
  const char* isa;
  void (*input_transform)(const WinogradDims& d, const float* padded, int64_t t0, int64_t count, float* v);
  void (*multiply)(const WinogradDims& d, const float* u, const float* v, int64_t count, int64_t kb0, int64_t kb1,
                   float* m);
  void (*output_transform)(const WinogradDims& d, const float* m, int64_t t0, int64_t count, int64_t kb0, int64_t kb1,
                           float* staged);
  // Channel-blocked <-> planar for one row of n pixels: pack writes
  // dst[x·16 + l] = src[l·plane + x] (zero for l >= lanes); unpack writes
  // dst[l·plane + x] = src[x·16 + l] for l < lanes.
  void (*pack_channels)(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst);
  void (*unpack_channels)(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane);
};

// Variants; nullptr when the CPU lacks the instructions.
const WinogradKernels* winograd_kernels_avx512();
const WinogradKernels* winograd_kernels_avx2();
const WinogradKernels* winograd_kernels_portable();
// The fastest variant this CPU runs.
const WinogradKernels* winograd_kernels_best();

// U = G g Gᵀ for OIHW 3x3 weights [cout][cin][3][3], in the U layout above
// (padding rows/columns zero). Computed in double.
void winograd_transform_weights(const float* w, int64_t cout, int64_t cin, const WinogradDims& d, float* u);

// The same in float, vectorized over 16 output channels, for weights that
// change at every run. Filter (k, c) is read at w + k·k_stride + c·c_stride,
// its 9 taps in row-major order, or reversed when `flip` (a 180° rotation).
// Results differ from the double transform by float rounding only.
void winograd_transform_weights_f32(const float* w, int64_t cout, int64_t cin, int64_t k_stride, int64_t c_stride,
                                    bool flip, const WinogradDims& d, float* u);

}  // namespace ew
