// The weight layout of com.microsoft::MatMulNBits (ONNX Runtime contrib op):
// B holds the [K, N] weight transposed and block-quantized, one row per
// output column n: B[n, block, byte], `bits` per value, low bits first, each
// column's K values in ceil(K / block_size) blocks of `block_size`.
//   w[k, n] = (q[n, k] - zp[n, k / block_size]) * scale[n * blocks + k / block_size]
// Zero points are either absent (2^(bits-1)), packed uint8 like B (one row of
// ceil(blocks * bits / 8) bytes per column) or float like the scales.
#pragma once

#include <cstdint>
#include <string>

#include "ops/op.h"

namespace ew::quant {

struct NBitsLayout {
  int64_t K = 0, N = 0, bits = 4, block_size = 32;
  int64_t blocks = 0;      // per column: ceil(K / block_size)
  int64_t blob_bytes = 0;  // per block: block_size * bits / 8
  int64_t zp_row_bytes = 0;  // packed uint8 zero points per column

  // Unpacked value i of a packed row (bits 2, 4 or 8).
  int32_t value(const uint8_t* row, int64_t i) const {
    const int64_t bit = i * bits;
    return (row[bit >> 3] >> (bit & 7)) & ((1 << bits) - 1);
  }
};

// Reads K, N, bits, block_size from the node and checks them.
Result<NBitsLayout> nbits_layout(const Node& node);

// The zero point of (column n, block b) from an optional zero-point tensor.
float nbits_zero_point(const NBitsLayout& l, const Tensor* zp, int64_t n, int64_t b);

}  // namespace ew::quant
