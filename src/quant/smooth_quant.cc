#include "quant/smooth_quant.h"

#include <algorithm>
#include <cmath>

#include "passes/graph_rewrite.h"

namespace ew::quant {
namespace {

// A MatMul/Gemm reading `x` as A with a constant float [K, N] (or Gemm transB [N, K]) weight of its own.
bool smoothable(const Graph& g, const ValueUses& uses, const Node& n, const std::string& x) {
  if (!n.domain.empty() || n.inputs.size() < 2 || n.inputs[0] != x || n.inputs[1] == x) return false;
  if (n.op_type != "MatMul" && !(n.op_type == "Gemm" && n.attr_int("transA", 0) == 0)) return false;
  const Tensor* w = constant_of(g, n.inputs[1]);
  return w && w->dtype() == DType::kFloat32 && w->rank() == 2 && uses.single_use(n.inputs[1]);
}

bool trans_b(const Node& n) { return n.op_type == "Gemm" && n.attr_int("transB", 0) != 0; }

int64_t weight_rows(const Node& n, const Tensor& w) { return trans_b(n) ? w.dim(1) : w.dim(0); }

// Element index of W[k, j] in storage.
int64_t at(const Node& n, const Tensor& w, int64_t k, int64_t j) {
  return trans_b(n) ? j * w.dim(1) + k : k * w.dim(1) + j;
}

Status scale_weight_rows(Graph& g, const Node& n, const std::vector<double>& s) {
  EW_ASSIGN_OR_RETURN(Tensor w, g.initializers.at(n.inputs[1]).clone());
  const int64_t cols = w.numel() / weight_rows(n, w);
  for (int64_t k = 0; k < weight_rows(n, w); ++k)
    for (int64_t j = 0; j < cols; ++j) w.data<float>()[at(n, w, k, j)] *= static_cast<float>(s[k]);
  g.initializers[n.inputs[1]] = w;
  return Status::ok();
}

// Divides LayerNormalization's scale (and bias) producing `x` by s; false when it cannot.
Result<bool> fold_into_layer_norm(Graph& g, const ValueUses& uses, const std::string& x, const std::vector<double>& s) {
  const Node* ln = uses.producer_of(g, x);
  if (!ln || ln->op_type != "LayerNormalization" || !ln->domain.empty() || ln->outputs[0] != x || ln->inputs.size() < 2)
    return false;
  for (size_t i = 1; i < ln->inputs.size() && i < 3; ++i) {
    const Tensor* t = constant_of(g, ln->inputs[i]);
    if (!ln->inputs[i].empty() && (!t || t->dtype() != DType::kFloat32 ||
                                   t->numel() != static_cast<int64_t>(s.size()) || !uses.single_use(ln->inputs[i])))
      return false;
  }
  for (size_t i = 1; i < ln->inputs.size() && i < 3; ++i) {
    if (ln->inputs[i].empty()) continue;
    EW_ASSIGN_OR_RETURN(Tensor t, g.initializers.at(ln->inputs[i]).clone());
    for (int64_t k = 0; k < t.numel(); ++k) t.data<float>()[k] = static_cast<float>(t.data<float>()[k] / s[k]);
    g.initializers[ln->inputs[i]] = t;
  }
  return true;
}

Status insert_mul(Graph& g, const std::string& x, const std::vector<size_t>& readers, const std::vector<double>& s) {
  std::vector<float> inv(s.size());
  for (size_t k = 0; k < s.size(); ++k) inv[k] = static_cast<float>(1.0 / s[k]);
  EW_ASSIGN_OR_RETURN(Tensor t, Tensor::from_vector<float>({static_cast<int64_t>(s.size())}, inv));
  Node mul;
  mul.op_type = "Mul";
  mul.name = fresh_name(g, x + "_smooth");
  mul.inputs = {x, add_initializer(g, x + "_smooth_scale", std::move(t))};
  mul.outputs = {fresh_name(g, x + "_smoothed")};
  for (size_t r : readers) g.nodes[r].inputs[0] = mul.outputs[0];
  g.nodes.push_back(mul);
  return Status::ok();
}

Result<bool> smooth_tensor(Graph& g, const std::string& x, const ChannelStats& st, float alpha) {
  ValueUses uses(g);
  std::vector<size_t> readers;
  auto c = uses.consumers.find(x);
  if (c == uses.consumers.end()) return false;
  for (size_t i : c->second)
    if (smoothable(g, uses, g.nodes[i], x)) readers.push_back(i);
  const int64_t k_dim = static_cast<int64_t>(st.abs_max.size());
  std::vector<double> wmax(k_dim, 0.0);
  for (size_t i : readers) {
    const Tensor& w = *constant_of(g, g.nodes[i].inputs[1]);
    if (weight_rows(g.nodes[i], w) != k_dim) return false;
    for (int64_t k = 0; k < k_dim; ++k)
      for (int64_t j = 0; j < w.numel() / k_dim; ++j)
        wmax[k] = std::max(wmax[k], std::fabs(double(w.data<float>()[at(g.nodes[i], w, k, j)])));
  }
  if (readers.empty()) return false;
  std::vector<double> s(k_dim, 1.0);
  for (int64_t k = 0; k < k_dim; ++k)
    if (st.abs_max[k] > 0.0f && wmax[k] > 0.0)
      s[k] = std::clamp(std::pow(double(st.abs_max[k]), alpha) / std::pow(wmax[k], 1.0 - alpha), 1e-5, 1e5);
  for (size_t i : readers) EW_RETURN_IF_ERROR(scale_weight_rows(g, g.nodes[i], s));
  const bool all_readers = readers.size() == c->second.size() && !uses.pinned.count(x);
  if (all_readers) {
    EW_ASSIGN_OR_RETURN(bool folded, fold_into_layer_norm(g, uses, x, s));
    if (folded) return true;
  }
  EW_RETURN_IF_ERROR(insert_mul(g, x, readers, s));
  return true;
}

}  // namespace

std::map<std::string, int> smooth_quant_inputs(const Model& model) {
  const Graph& g = model.graph;
  ValueUses uses(g);
  std::map<std::string, int> out;
  for (const auto& n : g.nodes)
    if (!n.inputs.empty() && !g.is_initializer(n.inputs[0]) && smoothable(g, uses, n, n.inputs[0]))
      out[n.inputs[0]] = -1;
  return out;
}

Result<int> smooth_quant(Model& model, const ChannelStatsMap& stats, float alpha) {
  if (!(alpha > 0.0f && alpha <= 1.0f)) return invalid_argument("smooth_quant: alpha must be in (0, 1]");
  int smoothed = 0;
  for (const auto& [x, axis] : smooth_quant_inputs(model)) {
    auto it = stats.find(x);
    if (it == stats.end()) continue;
    EW_ASSIGN_OR_RETURN(bool done, smooth_tensor(model.graph, x, it->second, alpha));
    smoothed += done ? 1 : 0;
  }
  if (smoothed > 0) EW_RETURN_IF_ERROR(model.graph.sort_and_validate());
  return smoothed;
}

}  // namespace ew::quant
