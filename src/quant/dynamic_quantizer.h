// Dynamic int8 quantization (`edgewise quantize --mode dynamic`), as ONNX
// Runtime's quantize_dynamic writes it, in standard ONNX ops only:
//
//   x -> DynamicQuantizeLinear -> (xq, x_scale, x_zp)       one per activation, shared
//   Mul(x_scale, w_scale) -> scale                           w_scale per column [N] or scalar
//   MatMulInteger(xq, Wq int8 [K,N], x_zp, w_zp) -> int32
//   Cast(float) -> Mul(scale) [-> Add(bias)] -> y
//
// for every MatMul / Gemm with a constant weight (weight_matmul.h). Weights
// are symmetric int8, per output column unless options.per_channel is false.
// The Edgewise runtime fuses each group into com.microsoft::DynamicQuantizeMatMul
// and runs it as an integer GEMM; ONNX Runtime does the same. Layers inside
// If/Loop/Scan bodies are rewritten inside their body (body_quantization.h).
#pragma once

#include "quant/quantize.h"

namespace ew::quant {

// Rewrites `model` in place; fills `report` (may be null). Layers with
// bits_for() == 4 get block-wise int4 weights (int4_quantizer.h) instead, and
// those with 16 or 32 stay float.
Status quantize_dynamic(Model& model, const QuantizeOptions& options, QuantizeReport* report);

}  // namespace ew::quant
