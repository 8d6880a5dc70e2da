// The activation a com.microsoft fused op applies after its main computation,
// as ONNX Runtime names it: FusedConv's `activation` + `activation_params`
// floats, FusedGemm's `activation` + `activation_alpha` / `activation_beta`.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "ir/graph.h"

namespace ew {

struct FusedActivation {
  enum class Kind { kNone, kRelu, kClip, kSigmoid, kTanh, kLeakyRelu, kHardSigmoid };
  Kind kind = Kind::kNone;
  float alpha = 0, beta = 0;  // Clip: min, max; LeakyRelu: alpha; HardSigmoid: alpha, beta

  // `name` "" means none; `params` in ORT's order. Fails on unknown names or missing params.
  static Result<FusedActivation> parse(const std::string& name, const std::vector<float>& params);
  // The activation of a fused node: FusedConv's activation_params, FusedGemm's
  // activation_alpha / activation_beta; none for other ops.
  static Result<FusedActivation> of(const Node& node);
  float apply(float x) const;
  void apply(float* data, int64_t n) const;
};

}  // namespace ew
