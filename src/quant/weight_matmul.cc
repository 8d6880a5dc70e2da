#include "quant/weight_matmul.h"

#include <algorithm>

#include "passes/graph_rewrite.h"

namespace ew::quant {
namespace {

bool is_float_matrix(const Tensor* t) { return t && t->dtype() == DType::kFloat32 && t->rank() == 2; }

Tensor transposed(const Tensor& w) {
  const int64_t rows = w.shape()[0], cols = w.shape()[1];
  Tensor t = Tensor::create(DType::kFloat32, {cols, rows}).value();
  const float* src = w.data<float>();
  float* dst = t.data<float>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
  return t;
}

std::optional<WeightMatMul> gemm_weight(const Graph& g, const Node& n) {
  if (n.attr_int("transA", 0) != 0 || n.attr_float("alpha", 1.0f) != 1.0f || n.attr_float("beta", 1.0f) != 1.0f)
    return std::nullopt;
  const Tensor* b = constant_of(g, n.inputs[1]);
  if (!is_float_matrix(b)) return std::nullopt;
  const bool trans = n.attr_int("transB", 0) != 0;
  WeightMatMul m{n.inputs[0], trans ? transposed(*b) : *b, n.inputs[1] + (trans ? "^T" : ""), "", n.outputs[0]};
  if (n.has_input(2)) {
    const Tensor* c = constant_of(g, n.inputs[2]);
    if (!c || c->dtype() != DType::kFloat32 || c->rank() > 1 || (c->numel() != 1 && c->numel() != m.weight.shape()[1]))
      return std::nullopt;
    m.bias = n.inputs[2];
  }
  return m;
}

}  // namespace

std::optional<WeightMatMul> weight_matmul(const Graph& graph, const Node& node) {
  if (!node.domain.empty() || node.inputs.size() < 2 || node.outputs.size() != 1) return std::nullopt;
  if (node.op_type == "Gemm") return gemm_weight(graph, node);
  if (node.op_type != "MatMul") return std::nullopt;
  const Tensor* b = constant_of(graph, node.inputs[1]);
  if (!is_float_matrix(b)) return std::nullopt;
  return WeightMatMul{node.inputs[0], *b, node.inputs[1], "", node.outputs[0]};
}

int bits_for(const Node& node, const QuantizeOptions& options, int default_bits) {
  for (const std::string& e : options.exclude)
    if (e == node.name || e == node.op_type) return 32;
  auto it = options.layer_bits.find(node.name);
  return it == options.layer_bits.end() ? default_bits : it->second;
}

}  // namespace ew::quant
