#include "ops/fused/fused_activation.h"

#include <algorithm>
#include <cmath>

namespace ew {

Result<FusedActivation> FusedActivation::of(const Node& node) {
  std::string name = node.attr_string("activation", "");
  if (node.op_type == "FusedConv") return parse(name, node.attr_floats("activation_params"));
  if (node.op_type != "FusedGemm") return FusedActivation{};
  std::vector<float> params;
  if (name == "LeakyRelu") params = {node.attr_float("activation_alpha", 0.01f)};
  if (name == "HardSigmoid") params = {node.attr_float("activation_alpha", 0.2f), node.attr_float("activation_beta", 0.5f)};
  return parse(name, params);
}

Result<FusedActivation> FusedActivation::parse(const std::string& name, const std::vector<float>& params) {
  struct Entry {
    const char* name;
    Kind kind;
    size_t params;
    float alpha, beta;  // defaults when a param is absent is an error; these are unused fillers
  };
  static const Entry kEntries[] = {
      {"", Kind::kNone, 0, 0, 0},          {"Relu", Kind::kRelu, 0, 0, 0},
      {"Clip", Kind::kClip, 2, 0, 0},      {"Sigmoid", Kind::kSigmoid, 0, 0, 0},
      {"Tanh", Kind::kTanh, 0, 0, 0},      {"LeakyRelu", Kind::kLeakyRelu, 1, 0, 0},
      {"HardSigmoid", Kind::kHardSigmoid, 2, 0, 0},
  };
  for (const Entry& e : kEntries) {
    if (name != e.name) continue;
    if (params.size() < e.params)
      return invalid_argument("activation " + name + " needs " + std::to_string(e.params) + " parameters");
    FusedActivation a;
    a.kind = e.kind;
    if (e.params >= 1) a.alpha = params[0];
    if (e.params >= 2) a.beta = params[1];
    return a;
  }
  return unsupported("unsupported fused activation '" + name + "'");
}

float FusedActivation::apply(float x) const {
  switch (kind) {
    case Kind::kNone: return x;
    case Kind::kRelu: return x > 0 ? x : 0.f;
    case Kind::kClip: return std::min(std::max(x, alpha), beta);
    case Kind::kSigmoid: return 1.f / (1.f + std::exp(-x));
    case Kind::kTanh: return std::tanh(x);
    case Kind::kLeakyRelu: return x >= 0 ? x : alpha * x;
    case Kind::kHardSigmoid: return std::max(0.f, std::min(1.f, alpha * x + beta));
  }
  return x;
}

void FusedActivation::apply(float* data, int64_t n) const {
  if (kind == Kind::kNone) return;
  for (int64_t i = 0; i < n; ++i) data[i] = apply(data[i]);
}

}  // namespace ew
