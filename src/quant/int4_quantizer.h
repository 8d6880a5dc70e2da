// Block-wise weight-only quantization (`edgewise quantize --mode int4`): the
// constant weight of every MatMul / Gemm (weight_matmul.h) is stored as
// com.microsoft::MatMulNBits (bits 4, blocks of options.block_size along K,
// one float scale per block; with options.int4_symmetric false also a uint4
// zero point per block), which ONNX Runtime reads. Gemm's bias becomes an Add.
// Activations stay float; the runtime dequantizes weights block by block
// inside its MatMulNBits kernel. Layers inside If/Loop/Scan bodies are
// rewritten inside their body (body_quantization.h).
#pragma once

#include "quant/quantize.h"
#include "quant/weight_matmul.h"

namespace ew::quant {

Status quantize_int4(Model& model, const QuantizeOptions& options, QuantizeReport* report);

// Quantizes one [K, N] weight into MatMulNBits inputs; `report` gets its SQNR
// and scale range. Exposed for tests and for mixed precision.
struct NBitsWeight {
  Tensor packed;       // uint8 [N, blocks, block_size / 2]
  Tensor scales;       // float32 [N * blocks]
  Tensor zero_points;  // uint8 [N * ceil(blocks / 2)], undefined when symmetric
};
Result<NBitsWeight> quantize_nbits(const Tensor& weight, int block_size, bool symmetric, LayerQuantReport* report);

// Replaces the weight MatMul at `node_index` with MatMulNBits; reuses the
// packed weight of an earlier layer with the same weight through `cache`.
Status rewrite_int4(Model& model, size_t node_index, const WeightMatMul& m, const QuantizeOptions& options,
                    LayerQuantReport* report, WeightCache* cache = nullptr);

}  // namespace ew::quant
