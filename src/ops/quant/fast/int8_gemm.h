// Int8 GEMM for quantized convolutions in NCHW, on AVX-512 VNNI (vpdpbusd:
// u8 x s8 -> s32, 4-element dot products):
//   Y[m, p] = requantize(sum_k (X[k, p] - xz) * (W[m, k] - wz[m]) + bias[m])
// X is K x N (N output pixels) of uint8 or int8; int8 activations are shifted
// to uint8 (x ^ 0x80, xz + 128) while packing, uint8 weights to int8
// (w ^ 0x80, wz - 128), so one u8 x s8 kernel serves every type pair:
//   sum (x - xz)(w - wz) = sum x'w' - wz' * sum_k x' - xz' * sum_k w' + K xz' wz'.
// The last three terms are folded into a per-row offset and, when some wz' is
// nonzero, a per-pixel column sum. Requantization is the reference's exactly:
// saturate(round_half_even(float(acc) * scale[m]) + yz).
//
// Layouts: weights packed once as [M/8][K/4][8 rows][4]; pixel tiles of 32
// packed per run as [K/4][32 pixels][4]. Padding rows/columns are zero.
#pragma once

#include <cstdint>
#include <vector>

#include <pthreadpool.h>

namespace ew::quant::fast {

constexpr int64_t kGemmMR = 8;   // rows per micro-kernel
constexpr int64_t kGemmNR = 32;  // pixels per tile

// True when this CPU runs the int8 kernels (AVX-512 F/BW/VL and VNNI).
bool int8_kernels_supported();

// Per-output-channel requantization after the integer dot product.
struct Int8Requant {
  std::vector<int32_t> row_offset;  // bias[m] - xz' * sum_k w'[m, k] + K * xz' * wz'[m]
  std::vector<int32_t> col_factor;  // wz'[m]: subtract wz' * sum_k x'[k, p]
  std::vector<float> scale;         // x_scale * w_scale[m] / y_scale
  bool need_col_sums = false;       // some wz' != 0
  bool y_signed = false;
  int32_t y_zp = 0;
};

struct Int8PackedWeights {
  int64_t m = 0, k = 0, k_groups = 0, m_blocks = 0;
  std::vector<int8_t> data;  // [m_blocks][k_groups][8][4]
};

// Packs W [M x K] (row-major, int8 or uint8 with `w_unsigned`) and fills the
// requantization offsets. w_zp has M entries (already in W's own domain);
// x_zp is in the activations' domain (x_signed: int8).
void pack_int8_weights(const void* w, bool w_unsigned, int64_t m, int64_t k, const std::vector<int32_t>& w_zp,
                       int32_t x_zp, bool x_signed, const std::vector<int32_t>& bias, Int8PackedWeights* packed,
                       Int8Requant* rq);

// Bytes of scratch one call of int8_gemm_tiles needs.
int64_t int8_gemm_scratch_bytes(int64_t k);

// Computes n output pixels of every row in blocks [mb0, mb1) (units of
// kGemmMR rows): x points at column 0 of those pixels in X [K x *] (row stride
// ldx), y at the same column of Y (row stride ldy; 1-byte elements, int8 when
// rq.y_signed). `scratch` holds int8_gemm_scratch_bytes(K) bytes.
void int8_gemm_tiles(const Int8PackedWeights& w, const Int8Requant& rq, const uint8_t* x, int64_t ldx,
                     bool x_signed, int64_t n, int64_t mb0, int64_t mb1, uint8_t* y, int64_t ldy,
                     uint8_t* scratch);

// im2col row pieces. Each may write up to 63 bytes past dst + n (full stores
// beat masked ones on Zen 4): callers write in increasing address order and
// keep 64 bytes of slack after their buffer. None reads past its source.
// dst[i] = src[2 * i] for i < n (stride-2 convolutions).
void gather_stride2(uint8_t* dst, const uint8_t* src, int64_t n);
// dst[i] = src[i] for i < n.
void copy_spill(uint8_t* dst, const uint8_t* src, int64_t n);
// dst[i] = v for i < n.
void fill_spill(uint8_t* dst, uint8_t v, int64_t n);

}  // namespace ew::quant::fast
