// Int8 matrix product with exact int32 results, for the quantized MatMul-like
// fast kernels (DynamicQuantizeMatMul, QGemm):
//   acc[m, n] = sum_k (a[m, k] - a_zp) * (b'[k, n] - bz'[n])
// A is uint8 rows (callers shift int8 by 128); B is packed once into panels
// of 16 columns (uint8 B shifted by 128 to int8, its zero points too). With
// AVX-512 VNNI, vpdpbusd accumulates 4 rows x 32 columns per step from panels
// of 4 k as int8. With only AVX2, B is widened to int16 pairs at packing and
// vpmaddwd accumulates 2 rows x 32 columns: exact too (vpmaddubsw, which
// would saturate in 16 bits, is not used). Zero points are applied afterwards
// (sum ab - a_zp colsum(b) - bz' rowsum(a) + K a_zp bz'), so acc equals the
// reference's integer sum exactly. Each finished tile goes to an epilogue
// that turns it into the op's output.
#pragma once

#include <cstdint>
#include <vector>

#include <pthreadpool.h>

namespace ew::fast {

inline constexpr int64_t kInt8Panel = 16;  // columns per packed panel
inline constexpr int64_t kInt8TileN = 32;  // columns per tile (the acc row stride)

struct Int8PackedB {
  int64_t K = 0, N = 0, k_groups = 0, panels = 0;
  std::vector<int8_t> packed;     // VNNI: [panels][k_groups][16][4]
  std::vector<int16_t> packed16;  // AVX2: [panels][2 * k_groups][16][2]
  std::vector<int32_t> colsum;  // sum_k b'[k, n], padded to panels * 16
  std::vector<int32_t> zp;      // bz' per column (int8 domain), padded
  bool any_zp = false;
};

// True when this CPU runs the product: AVX-512 F/BW/VL with VNNI, or AVX2.
bool int8_matmul_supported();

// Packs B: element (k, n) at b[k * N + n], or b[n * K + k] when `transposed`;
// `zp` holds one zero point per column (or one for all) in B's own domain.
template <typename B>
void pack_int8_b(const B* b, int64_t K, int64_t N, bool transposed, const std::vector<int32_t>& zp, Int8PackedB* out);

// Receives acc for rows [m0, m0 + rows) and columns [n0, n0 + cols); row r of
// the tile is at acc + r * kInt8TileN.
using Int8Epilogue = void (*)(void* context, int64_t m0, int64_t rows, int64_t n0, int64_t cols, const int32_t* acc);

struct Int8MatMulArgs {
  const Int8PackedB* b = nullptr;
  const uint8_t* a = nullptr;      // M rows of k_groups * 4 bytes (zero-padded past K)
  int64_t M = 0;
  int32_t a_zp = 0;                // in the uint8 domain
  const int32_t* rowsum = nullptr; // sum_k a[m, k] per row; needed when b->any_zp
  Int8Epilogue epilogue = nullptr;
  void* context = nullptr;
};

// Runs the product tile by tile on `pool` (null: the calling thread).
void int8_matmul(const Int8MatMulArgs& args, pthreadpool_t pool);

// Fills `rowsum` (M values) from the packed rows of A.
void int8_row_sums(const uint8_t* a, int64_t M, int64_t lda, int64_t K, int32_t* rowsum);

}  // namespace ew::fast
