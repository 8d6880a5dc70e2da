// Quantization arithmetic shared by every quantizer: scale and zero point from
// a float range, and weight tensors quantized per tensor or per channel.
// Conventions follow ONNX QuantizeLinear:
//   q = saturate(round_half_even(x / scale) + zero_point).
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace ew::quant {

struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// The integer range of a quantized type: int8 [-128,127], uint8 [0,255],
// int4 [-8,7], uint4 [0,15].
struct QuantRange {
  int32_t lo = -128, hi = 127;
};
QuantRange quant_range(DType type);  // kInt8 or kUInt8
QuantRange quant_range_bits(int bits, bool is_signed);

// Scale and zero point covering [min, max] (always widened to include 0, so
// zero is exact), as ONNX Runtime's compute_scale_zp:
//   asymmetric: scale = (max - min) / (hi - lo), zero point = round(lo - min / scale);
//   symmetric:  a = max(|min|, |max|); signed types use [-hi, hi] (int8: [-127, 127],
//               so scale = a / 127 and zero point 0); uint8 uses [0, 255]
//               (scale = 2a / 255, zero point 128).
// A degenerate range (min == max == 0) gives scale 1 (zero point 0, or 128 for
// symmetric uint8).
QuantParams params_from_range(float min, float max, QuantRange range, bool symmetric);

// q = clamp(round_half_even(x / scale) + zero_point, lo, hi).
int32_t quantize_value(float x, const QuantParams& p, QuantRange range);

// A weight quantized along `axis` (per channel), or per tensor when axis < 0.
// scale has one element per channel (shape [C]) or is a scalar; zero_point has
// the same shape and the quantized type. Symmetric weights have zero point 0.
struct QuantizedTensor {
  Tensor values;      // kInt8 or kUInt8, same shape as the input
  Tensor scale;       // float32
  Tensor zero_point;  // same dtype as values
};
// `reduce_range`: 7-bit values (int8 [-64, 63], uint8 [0, 127]), as ONNX
// Runtime's reduce_range: on x86 CPUs without VNNI its u8 x s8 kernels add
// pairs of products in saturating 16-bit lanes, which 7-bit weights cannot
// overflow.
Result<QuantizedTensor> quantize_tensor(const Tensor& w, DType type, int axis, bool symmetric,
                                        bool reduce_range = false);
// The float32 values a QuantizedTensor stands for: (q - zero_point) * scale,
// with the params taken along `axis` (the one it was quantized with; < 0: per tensor).
Result<Tensor> dequantize_tensor(const QuantizedTensor& q, int axis);

// Signal-to-quantization-noise ratio in dB of `approx` against `exact`:
// 10·log10(Σx² / Σ(x−x̂)²), capped at 200 when they are equal.
double sqnr_db(const Tensor& exact, const Tensor& approx);

}  // namespace ew::quant
