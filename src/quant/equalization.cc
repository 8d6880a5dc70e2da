#include "quant/equalization.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "passes/graph_rewrite.h"

namespace ew::quant {
namespace {

struct ConvPair {
  size_t first = 0, second = 0;
  size_t activation = SIZE_MAX;  // Relu/Clip between them, if any
};

bool float_conv(const Graph& g, const ValueUses& uses, const Node& n) {
  if (n.op_type != "Conv" || !n.domain.empty() || n.inputs.size() < 2 || n.outputs.size() != 1) return false;
  const Tensor* w = constant_of(g, n.inputs[1]);
  if (!w || w->dtype() != DType::kFloat32 || w->rank() < 3 || !uses.single_use(n.inputs[1])) return false;
  if (!n.has_input(2)) return true;
  const Tensor* b = constant_of(g, n.inputs[2]);
  return b && b->dtype() == DType::kFloat32 && b->numel() == w->dim(0) && uses.single_use(n.inputs[2]);
}

// 0: not an activation; 1: Relu (or Clip(0, inf)); 2: Clip(0, finite max), ReLU6.
int activation_kind(const Graph& g, const Node& n, int64_t opset) {
  if (!n.domain.empty() || n.outputs.size() != 1) return 0;
  if (n.op_type == "Relu") return 1;
  if (n.op_type != "Clip") return 0;
  double lo = -1, hi = std::numeric_limits<double>::infinity();
  if (opset < 11) {
    lo = n.attr_float("min", -1.0f);
    hi = n.attr_float("max", std::numeric_limits<float>::infinity());
  } else {
    if (!n.has_input(1) || !scalar_constant(g, n.inputs[1], &lo)) return 0;
    if (n.has_input(2) && !scalar_constant(g, n.inputs[2], &hi)) return 0;
  }
  if (lo != 0.0) return 0;
  return std::isinf(hi) ? 1 : 2;
}

bool second_conv_fits(const Graph& g, const Node& c1, const Node& c2) {
  const Tensor& w1 = *constant_of(g, c1.inputs[1]);
  const Tensor& w2 = *constant_of(g, c2.inputs[1]);
  const int64_t m = w1.dim(0), group = c2.attr_int("group", 1);
  if (group == 1) return w2.dim(1) == m;
  return group == m && w2.dim(0) == m && w2.dim(1) == 1;  // depthwise
}

std::vector<ConvPair> find_pairs(const Graph& g, int64_t opset, bool relu6_as_relu) {
  ValueUses uses(g);
  std::vector<ConvPair> pairs;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& c1 = g.nodes[i];
    if (!float_conv(g, uses, c1)) continue;
    ConvPair p{i, 0, SIZE_MAX};
    std::string v = c1.outputs[0];
    auto next = [&](const std::string& value) -> long {
      if (!uses.single_use(value)) return -1;
      return static_cast<long>(uses.consumers.at(value)[0]);
    };
    long k = next(v);
    if (k < 0) continue;
    const int kind = activation_kind(g, g.nodes[k], opset);
    if (kind == 2 && !relu6_as_relu) continue;
    if (kind > 0) {
      p.activation = static_cast<size_t>(k);
      k = next(g.nodes[k].outputs[0]);
      if (k < 0) continue;
    }
    const Node& c2 = g.nodes[k];
    if (!float_conv(g, uses, c2) || c2.inputs[0] != (p.activation == SIZE_MAX ? v : g.nodes[p.activation].outputs[0]))
      continue;
    if (!second_conv_fits(g, c1, c2)) continue;
    p.second = static_cast<size_t>(k);
    pairs.push_back(p);
  }
  return pairs;
}

// Element i of W2 [N, C, ...] belongs to input channel (i / inner) % C; depthwise: to i / inner.
struct InputChannels {
  int64_t channels, per_row, inner;
  bool depthwise;
  int64_t of(int64_t i) const { return depthwise ? i / inner : (i / inner) % per_row; }
};

InputChannels input_channels(const Tensor& w2, int64_t m, bool depthwise) {
  int64_t inner = 1;
  for (int64_t d = 2; d < w2.rank(); ++d) inner *= w2.dim(d);
  return {m, w2.dim(1), inner, depthwise};
}

// Rescales one pair; returns the largest |log s_i|.
Result<double> equalize_pair(Graph& g, const ConvPair& p) {
  const Node& c1 = g.nodes[p.first];
  const Node& c2 = g.nodes[p.second];
  EW_ASSIGN_OR_RETURN(Tensor w1, g.initializers.at(c1.inputs[1]).clone());
  EW_ASSIGN_OR_RETURN(Tensor w2, g.initializers.at(c2.inputs[1]).clone());
  const int64_t m = w1.dim(0), per_out = w1.numel() / m;
  const InputChannels ic = input_channels(w2, m, c2.attr_int("group", 1) != 1);
  std::vector<double> r1(m, 0.0), r2(m, 0.0), s(m, 1.0);
  for (int64_t i = 0; i < w1.numel(); ++i)
    r1[i / per_out] = std::max(r1[i / per_out], std::fabs(double(w1.data<float>()[i])));
  for (int64_t i = 0; i < w2.numel(); ++i)
    r2[ic.of(i)] = std::max(r2[ic.of(i)], std::fabs(double(w2.data<float>()[i])));
  double worst = 0.0;
  for (int64_t c = 0; c < m; ++c) {
    if (r1[c] > 0.0 && r2[c] > 0.0) s[c] = std::sqrt(r1[c] / r2[c]);
    worst = std::max(worst, std::fabs(std::log(s[c])));
  }
  for (int64_t i = 0; i < w1.numel(); ++i)
    w1.data<float>()[i] = static_cast<float>(w1.data<float>()[i] / s[i / per_out]);
  for (int64_t i = 0; i < w2.numel(); ++i) w2.data<float>()[i] = static_cast<float>(w2.data<float>()[i] * s[ic.of(i)]);
  g.initializers[c1.inputs[1]] = w1;
  g.initializers[c2.inputs[1]] = w2;
  if (c1.has_input(2)) {
    EW_ASSIGN_OR_RETURN(Tensor b1, g.initializers.at(c1.inputs[2]).clone());
    for (int64_t c = 0; c < m; ++c) b1.data<float>()[c] = static_cast<float>(b1.data<float>()[c] / s[c]);
    g.initializers[c1.inputs[2]] = b1;
  }
  return worst;
}

}  // namespace

Status equalize(Model& model, const EqualizeOptions& options, EqualizeReport* report) {
  EqualizeReport local;
  EqualizeReport& r = report ? *report : local;
  r = EqualizeReport{};
  Graph& g = model.graph;
  const std::vector<ConvPair> pairs = find_pairs(g, model.opset(""), options.relu6_as_relu);
  r.pairs = static_cast<int>(pairs.size());
  for (const ConvPair& p : pairs) {
    if (p.activation == SIZE_MAX || g.nodes[p.activation].op_type == "Relu") continue;
    Node& clip = g.nodes[p.activation];
    if (activation_kind(g, clip, model.opset("")) != 2) continue;
    clip.op_type = "Relu";
    clip.inputs.resize(1);
    clip.attributes.clear();
    ++r.clips_replaced;
  }
  for (int sweep = 0; sweep < options.max_sweeps && !pairs.empty(); ++sweep) {
    ++r.sweeps;
    double worst = 0.0;
    for (const ConvPair& p : pairs) {
      EW_ASSIGN_OR_RETURN(double w, equalize_pair(g, p));
      worst = std::max(worst, w);
    }
    if (worst < options.tolerance) break;
  }
  return Status::ok();
}

}  // namespace ew::quant
