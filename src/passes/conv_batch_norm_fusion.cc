// Conv + BatchNormalization (inference) -> Conv with folded weights and bias:
//   W'[m] = W[m] * s[m],  B'[m] = (B[m] - mean[m]) * s[m] + beta[m],
//   s[m] = scale[m] / sqrt(var[m] + epsilon).
// Needs float32 constant weights and BN parameters, and a Conv output read
// only by the BatchNormalization.
#include <cmath>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

const Tensor* f32_constant(const Graph& g, const Node& n, int i, int64_t want_numel) {
  if (!n.has_input(i)) return nullptr;
  const Tensor* t = constant_of(g, n.inputs[i]);
  if (!t || t->dtype() != DType::kFloat32 || (want_numel >= 0 && t->numel() != want_numel)) return nullptr;
  return t;
}

bool fuse(Graph& g, const ValueUses& uses, size_t i) {
  Node& bn = g.nodes[i];
  if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs.size() != 5) return false;
  if (bn.attr_int("training_mode", 0) != 0) return false;
  for (size_t k = 1; k < bn.outputs.size(); ++k) if (!bn.outputs[k].empty()) return false;
  auto p = uses.producer.find(bn.inputs[0]);
  if (p == uses.producer.end() || !uses.single_use(bn.inputs[0])) return false;
  Node& conv = g.nodes[p->second];
  if (conv.op_type != "Conv" || !conv.domain.empty() || conv.outputs.size() != 1) return false;
  const Tensor* w = f32_constant(g, conv, 1, -1);
  if (!w || w->rank() < 3) return false;
  const int64_t m = w->dim(0), per = w->numel() / m;
  const Tensor* b = conv.has_input(2) ? f32_constant(g, conv, 2, m) : nullptr;
  if (conv.has_input(2) && !b) return false;
  const Tensor *scale = f32_constant(g, bn, 1, m), *beta = f32_constant(g, bn, 2, m),
               *mean = f32_constant(g, bn, 3, m), *var = f32_constant(g, bn, 4, m);
  if (!scale || !beta || !mean || !var) return false;
  auto nw = Tensor::create(DType::kFloat32, w->shape());
  auto nb = Tensor::create(DType::kFloat32, {m});
  if (!nw.is_ok() || !nb.is_ok()) return false;
  const double eps = bn.attr_float("epsilon", 1e-5f);
  for (int64_t c = 0; c < m; ++c) {
    const double s = double(scale->data<float>()[c]) / std::sqrt(double(var->data<float>()[c]) + eps);
    for (int64_t k = 0; k < per; ++k) nw->data<float>()[c * per + k] = float(double(w->data<float>()[c * per + k]) * s);
    const double bias = b ? double(b->data<float>()[c]) : 0.0;
    nb->data<float>()[c] = float((bias - double(mean->data<float>()[c])) * s + double(beta->data<float>()[c]));
  }
  Node fused = conv;
  fused.inputs = {conv.inputs[0], add_initializer(g, conv.inputs[1] + "_bn", std::move(nw).value()),
                  add_initializer(g, (b ? conv.inputs[2] : conv.inputs[1]) + "_bn_bias", std::move(nb).value())};
  fused.outputs = bn.outputs;
  fused.outputs.resize(1);
  mark_removed(conv);
  g.nodes[i] = std::move(fused);
  return true;
}

Result<int> run_conv_batch_norm_fusion(Model& model) { return rewrite_each(model.graph, fuse); }

}  // namespace

const Pass kConvBatchNormFusion{.name = "conv_batch_norm_fusion", .min_level = 2, .run = run_conv_batch_norm_fusion};

}  // namespace ew
