// LayerWriter: the layers the model-builder families share (conv + BN,
// Gemm, activations, seeded initialisation), written through GraphBuilder.
// Internal to src/train/model_builder/.
//
// Errors are sticky: a failed allocation makes the writer remember the
// Status and return placeholder names, and finish() reports it, so the
// family code reads as a straight list of layers.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ir/graph_builder.h"
#include "train/model_builder.h"

namespace ew::train::detail {

// relu, relu6, gelu and hardswish: the activations He initialisation is for.
bool relu_family(const std::string& activation);
// One of the activation names the specs accept.
bool known_activation(const std::string& activation);

class LayerWriter {
 public:
  LayerWriter(const ModelSpec& spec, const std::string& graph_name);

  // The graph input "input" float32[N, C, H, W].
  std::string input();

  // Conv (no bias, "same" padding k/2) named `conv` (weight conv.weight)
  // + BatchNormalization named `bn` (bn.scale, bn.bias, bn.mean, bn.var).
  // `relu_follows` picks He over Xavier.
  std::string conv_bn(const std::string& x, int64_t cin, int64_t cout, int64_t kernel, int64_t stride,
                      int64_t groups, bool relu_follows, const std::string& conv, const std::string& bn);
  // 1x1 Conv with a bias and no BN (squeeze-excite): name.weight, name.bias.
  std::string conv_with_bias(const std::string& x, int64_t cin, int64_t cout, bool relu_follows,
                             const std::string& name);
  // Gemm(transB=1) with weight [out, in] and bias [out].
  std::string gemm(const std::string& x, int64_t in, int64_t out, bool relu_follows, const std::string& name);
  // One of the spec activations; node(s) named `name`.
  std::string activation(const std::string& x, const std::string& act, const std::string& name);
  // Dropout with the ratio as a constant input (inference graph).
  std::string dropout(const std::string& x, double ratio, const std::string& name);
  // Any other node with one output.
  std::string node(const std::string& op_type, const std::vector<std::string>& inputs,
                   const std::map<std::string, Attribute>& attributes, const std::string& name);

  // Marks `x` (float32[N, classes]) as the output "logits" and builds the model.
  Result<Model> finish(const std::string& x, int64_t classes);

 private:
  Tensor weight(const std::string& name, const Shape& shape, int64_t fan_in, int64_t fan_out, bool relu_follows);
  Tensor filled(const Shape& shape, float value);
  std::string scalar(const std::string& name, float value);  // shared "const.*" scalars

  const ModelSpec& spec_;
  GraphBuilder b_;
  Status status_;
  std::map<std::string, std::string> scalars_;
};

}  // namespace ew::train::detail
