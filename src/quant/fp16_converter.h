// fp16 weights: float32 initializers stored as float16, each followed by a
// Cast back to float32, so the file halves while every node still computes
// in float32. This is the form ONNX Runtime's float16 converter produces with
// keep-io-types, and runtimes that fold constants (Edgewise at opt level >= 1)
// turn the Casts back into float32 weights at load, so speed is unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/quantize.h"

namespace ew::quant {

struct Fp16Report {
  int converted = 0;                  // initializers now stored in float16
  int64_t clamped = 0;                // finite values beyond ±65504, stored as ±65504
  std::vector<std::string> clamped_tensors;
  int64_t bytes_before = 0, bytes_after = 0;  // bytes of the converted initializers
};

// Converts every float32 initializer of at least kMinFp16Elements elements
// that a node reads, unless a node in `exclude_nodes` (node names or op types)
// reads it: such an initializer stays float32, so excluded nodes see exactly
// their original weights. Initializer `W` becomes float16 initializer
// `W_fp16` and a node `W_fp16_cast` = Cast(to=float) writes the value `W`
// that the readers already take; nodes inside subgraphs read it from the
// enclosing scope. Initializers of If/Loop/Scan bodies are converted inside
// their body (exclude entries may name body nodes "<path>/<node>", see
// body_quantization.h). Graph outputs are never converted. Returns the number
// of initializers converted; `report`, when given, receives the details.
inline constexpr int64_t kMinFp16Elements = 16;
Result<int> convert_weights_to_fp16(Model& model, const std::vector<std::string>& exclude_nodes,
                                    Fp16Report* report = nullptr);

// The Conv/Gemm/MatMul layers of a converted model, bodies included
// ("If_0/then_branch/conv1"): 16 bits when the weight is no longer a float32
// initializer of the layer's graph, else 32.
std::vector<LayerQuantReport> fp16_layers(const Model& model);

}  // namespace ew::quant
