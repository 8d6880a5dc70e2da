#include "runtime/model_stats.h"

#include <set>

#include "ops/op.h"

namespace ew {

namespace {

// Element count of a value with a fully known type, else -1.
int64_t numel_of(const Graph& g, const std::string& name) {
  if (const Tensor* t = g.initializer(name)) return t->numel();
  const ValueType* vt = g.find_type(name);
  if (!vt || !vt->fully_known()) return -1;
  auto n = shape_numel(vt->concrete_shape());
  return n ? *n : -1;
}

const ValueType* type_of(const Graph& g, const std::string& name) {
  static thread_local ValueType scratch;
  if (const Tensor* t = g.initializer(name)) return &(scratch = ValueType::of(t->dtype(), t->shape()));
  return g.find_type(name);
}

// MACs per output element for ops dominated by dot products, from the weight or inner dimension.
int64_t macs_per_output(const Graph& g, const Node& n) {
  const std::string& op = n.op_type;
  auto input_dims = [&](int i) -> std::vector<Dim> {
    if (i >= n.num_inputs() || n.inputs[i].empty()) return {};
    const ValueType* vt = type_of(g, n.inputs[i]);
    return vt && vt->has_shape ? vt->dims : std::vector<Dim>{};
  };
  if (op == "Conv" || op == "FusedConv" || op == "ConvInteger" || op == "QLinearConv") {
    auto w = input_dims(op == "QLinearConv" ? 3 : 1);
    int64_t k = 1;
    for (size_t i = 1; i < w.size(); ++i) k *= w[i].known() ? w[i].value : 0;
    return w.size() > 1 ? k : -1;
  }
  if (op == "MatMul" || op == "MatMulInteger" || op == "QLinearMatMul" || op == "Gemm" || op == "FusedGemm" ||
      op == "QGemm" || op == "DynamicQuantizeMatMul") {
    auto a = input_dims(0);
    if (a.empty()) return -1;
    bool trans_a = (op == "Gemm" || op == "FusedGemm" || op == "QGemm") && n.attr_int("transA", 0);
    const Dim& k = trans_a ? a[0] : a.back();
    return k.known() ? k.value : -1;
  }
  return 0;
}

}  // namespace

NodeCost node_cost(const Graph& g, const Node& n) {
  NodeCost c{n.name, n.op_type};
  int64_t out = n.outputs.empty() || n.outputs[0].empty() ? -1 : numel_of(g, n.outputs[0]);
  // ConvTranspose reads each input element once per weight of its group; a
  // Conv's backward steps (ConvGradInput(dY, W, ...), ConvGradFilter(dY, X,
  // W_like)) do the forward Conv's MACs, one per dY element and weight.
  const bool conv_grad = n.op_type == "ConvGradInput" || n.op_type == "ConvGradFilter";
  if (n.op_type == "ConvTranspose" || conv_grad) {
    int64_t in = numel_of(g, n.inputs[0]);
    const int wi = n.op_type == "ConvGradFilter" ? 2 : 1;
    const ValueType* w = n.num_inputs() > wi ? type_of(g, n.inputs[wi]) : nullptr;
    if (in >= 0 && w && w->fully_known()) {
      int64_t per = 1;
      for (size_t i = 1; i < w->dims.size(); ++i) per *= w->dims[i].value;
      c.macs = in * per;
    } else {
      c.exact = false;
    }
  } else {
    int64_t per = macs_per_output(g, n);
    if (per < 0 || (per > 0 && out < 0)) c.exact = false;
    else c.macs = out * per;
  }
  c.flops = 2 * c.macs + (c.macs == 0 && out > 0 ? out : 0);
  return c;
}

namespace {

void collect(const Model& m, const Graph& g, ModelStats& s, std::set<std::string>& unsupported) {
  for (const auto& [name, t] : g.initializers) {
    s.parameters += t.numel();
    s.weight_bytes += static_cast<int64_t>(t.nbytes());
  }
  for (const Node& n : g.nodes) {
    ++s.nodes;
    ++s.op_histogram[(n.domain.empty() ? "" : n.domain + "::") + n.op_type];
    int64_t opset = m.opset(n.domain);
    if (opset == 0 && !n.domain.empty()) opset = 1;
    if (!OpRegistry::find(n.domain, n.op_type, opset))
      unsupported.insert((n.domain.empty() ? "" : n.domain + "::") + n.op_type + " (opset " + std::to_string(opset) + ")");
    NodeCost c = node_cost(g, n);
    s.macs += c.macs;
    s.flops += c.flops;
    s.cost_exact &= c.exact;
    s.per_node.push_back(std::move(c));
    for (const auto& [k, a] : n.attributes) {
      if (a.g) collect(m, *a.g, s, unsupported);
      for (const auto& sg : a.graphs) if (sg) collect(m, *sg, s, unsupported);
    }
  }
}

}  // namespace

ModelStats compute_model_stats(const Model& model) {
  ModelStats s;
  std::set<std::string> unsupported;
  collect(model, model.graph, s, unsupported);
  s.unsupported_ops.assign(unsupported.begin(), unsupported.end());
  return s;
}

}  // namespace ew
