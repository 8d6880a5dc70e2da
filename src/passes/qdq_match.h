// Matching QuantizeLinear / DequantizeLinear around an op, shared by the
// QDQ fusion passes.
#pragma once

#include <string>

#include "passes/graph_rewrite.h"

namespace ew::qdq {

struct Quant {
  std::string x, scale, zero_point;  // zero_point "" when absent
};

inline bool is_int8(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

// The DequantizeLinear producing `v` with constant float32 params: scalar, or
// also per axis when !per_tensor.
bool dequantized(const Graph& g, const ValueUses& u, const std::string& v, Quant* out, bool per_tensor = true);

// The QuantizeLinear that alone reads `v`, with constant scalar params.
Node* quantized(Graph& g, const ValueUses& u, const std::string& v, Quant* out);

// A zero point input: the given one, or a zero of `dtype` when absent.
std::string zero_point_or_zero(Graph& g, const std::string& zp, DType dtype);

}  // namespace ew::qdq
