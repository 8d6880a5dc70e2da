// The MatMul and Gemm nodes that multiply an activation by a constant weight:
// the layers weight-only and dynamic quantization rewrite.
#pragma once

#include <map>
#include <optional>
#include <vector>
#include <string>

#include "ir/graph.h"
#include "quant/quantize.h"

namespace ew::quant {

struct WeightMatMul {
  std::string activation;  // A, the input multiplied by the weight
  Tensor weight;           // float32 [K, N] (Gemm's transB already undone)
  std::string weight_key;  // the weight initializer's name, + "^T" when transposed: equal keys, equal weights
  std::string bias;        // Gemm's constant C ([N] or scalar), else empty
  std::string output;
};

// Quantized initializers already made per weight_key (and precision), so
// layers sharing a float weight share its quantized form.
using WeightCache = std::map<std::string, std::vector<std::string>>;

// `node` as activation x constant weight: a MatMul whose B is a constant 2-D
// float32 initializer, or a Gemm (transA 0, alpha 1, beta 1) with constant B
// and an optional constant C of at most N elements. Nothing otherwise.
std::optional<WeightMatMul> weight_matmul(const Graph& graph, const Node& node);

// Bits the options give `node`: 32 when excluded by name or op type, the
// mixed-precision choice when listed there, else `default_bits`.
int bits_for(const Node& node, const QuantizeOptions& options, int default_bits);

}  // namespace ew::quant
