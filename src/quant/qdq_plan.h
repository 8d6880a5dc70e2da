// Which nodes and tensors a static (QDQ) quantization covers, following ONNX
// Runtime's QDQ quantizer:
//   Conv, Gemm, MatMul          activation inputs and output quantized; constant
//                               weights (and bias) quantized separately;
//   Add, Mul, Concat            every input and the output;
//   AveragePool, GlobalAveragePool  input and output;
//   MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze
//                               input, and the output with the input's params;
//   Relu / Clip(min 0) read only by the output of a quantized Conv/Gemm/MatMul/Add
//                               removed: the producer writes the activation's output
//                               directly and takes its (non-negative) range, so the
//                               quantization clamp does the activation's work
//                               (asymmetric activations only).
// Graph outputs and non-float tensors are never quantized.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "quant/quantize.h"

namespace ew::quant {

struct QdqPlan {
  // Quantized activation tensor -> the tensor whose calibrated range gives its
  // params (itself, or the input of a shape op that shares them).
  std::map<std::string, std::string> activations;
  // Indices (into model.graph.nodes after planning) of the Conv/Gemm/MatMul
  // nodes whose constant weights get quantized.
  std::vector<size_t> weighted;
  // One entry per node the quantizer considered (quantized or left in float,
  // and why), and the index of that node.
  std::vector<LayerQuantReport> layers;
  std::vector<size_t> layer_nodes;
  int removed_activations = 0;
};

// Plans the quantization of `model` and removes the Relu/Clip nodes that
// quantization makes redundant (so `model` changes). Fails when the opset has
// no QuantizeLinear (< 10).
Result<QdqPlan> plan_qdq(Model& model, const QuantizeOptions& options);

// Conv, Gemm or MatMul with a constant float32 weight (input 1).
bool is_weighted_op(const Graph& graph, const Node& node);

// The axis of a constant weight input along which it is quantized per
// channel (the output channels), or -1 for per tensor.
int weight_axis(const Node& node, const Tensor& weight, const QuantizeOptions& options, int64_t opset);

}  // namespace ew::quant
