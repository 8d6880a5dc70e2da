// The LayerNorm exporters emit as primitive ops, over the last axis:
//   m = ReduceMean(x); d = Sub(x, m); v = ReduceMean(Pow(d, 2));
//   n = Div(d, Sqrt(Add(v, eps))); y = Add(Mul(n, gamma), beta)
// -> LayerNormalization(x, gamma, beta, axis=-1, epsilon=eps). The beta Add is
// optional. Below opset 17 the op is still in the ONNX domain: ONNX Runtime
// registers it there from version 1 (a contrib schema), and so do we.
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

// ReduceMean over the last axis only, keepdims=1.
bool mean_over_last_axis(const Graph& g, const Node& n, const std::string& x) {
  if (n.op_type != "ReduceMean" || !n.domain.empty() || n.inputs.empty() || n.inputs[0] != x) return false;
  if (n.attr_int("keepdims", 1) != 1) return false;
  std::vector<int64_t> axes = n.attr_ints("axes");
  if (n.has_input(1)) {
    const Tensor* t = constant_of(g, n.inputs[1]);
    if (!t) return false;
    axes = t->to_int64_vector();
  }
  const ValueType* vt = g.find_type(x);
  if (axes.size() != 1 || !vt || !vt->has_shape) return false;
  const int64_t rank = static_cast<int64_t>(vt->dims.size());
  return axes[0] == -1 || axes[0] == rank - 1;
}

const Node* producer(const Graph& g, const ValueUses& u, const std::string& v, const char* op, bool single = true) {
  const Node* n = u.producer_of(g, v);
  if (!n || n->op_type != op || !n->domain.empty() || (single && !u.single_use(v))) return nullptr;
  return n;
}

bool fuse(Graph& g, const ValueUses& u, size_t i) {
  Node& div = g.nodes[i];
  if (div.op_type != "Div" || !div.domain.empty() || div.inputs.size() != 2) return false;
  const std::string& d = div.inputs[0];
  const Node* sqrt = producer(g, u, div.inputs[1], "Sqrt");
  const Node* sub = producer(g, u, d, "Sub", false);
  if (!sqrt || !sub || u.pinned.count(d) || u.consumers.at(d).size() != 2) return false;
  const Node* add_eps = producer(g, u, sqrt->inputs[0], "Add");
  if (!add_eps) return false;
  const std::string& v = add_eps->inputs[0];
  double eps = 0;
  if (!scalar_constant(g, add_eps->inputs[1], &eps)) return false;
  const Node* var = producer(g, u, v, "ReduceMean");
  if (!var) return false;
  const Node* pow = producer(g, u, var->inputs[0], "Pow");
  if (!pow || pow->inputs[0] != d || !constant_near(g, pow->inputs[1], 2.0)) return false;
  const std::string& x = sub->inputs[0];
  const Node* mean = producer(g, u, sub->inputs[1], "ReduceMean");
  if (!mean || !mean_over_last_axis(g, *mean, x) || !mean_over_last_axis(g, *var, var->inputs[0])) return false;
  if (value_dtype(g, x) != DType::kFloat32) return false;
  Node* mul = u.only_consumer(g, div.outputs[0]);
  if (!mul || mul->op_type != "Mul" || !mul->domain.empty()) return false;
  const std::string& gamma = other_input(*mul, div.outputs[0]);
  const Tensor* gt = constant_of(g, gamma);
  const ValueType* xt = g.find_type(x);
  if (!gt || gt->rank() != 1 || !xt->dims.back().known() || gt->dim(0) != xt->dims.back().value) return false;
  Node* last = mul;
  std::string beta;
  if (Node* add = u.only_consumer(g, mul->outputs[0]); add && add->op_type == "Add" && add->domain.empty()) {
    const std::string& b = other_input(*add, mul->outputs[0]);
    const Tensor* bt = constant_of(g, b);
    if (bt && bt->rank() == 1 && bt->dim(0) == gt->dim(0)) {
      beta = b;
      last = add;
    }
  }
  Node ln;
  ln.name = fresh_name(g, div.name.empty() ? "LayerNorm" : div.name + "_LayerNorm");
  ln.op_type = "LayerNormalization";
  ln.inputs = {x, gamma};
  if (!beta.empty()) ln.inputs.push_back(beta);
  ln.outputs = last->outputs;
  ln.attributes["axis"] = Attribute::make_int(-1);
  ln.attributes["epsilon"] = Attribute::make_float(static_cast<float>(eps));
  for (const Node* n : {sqrt, sub, add_eps, var, pow, mean, static_cast<const Node*>(mul)})
    if (n != last) mark_removed(const_cast<Node&>(*n));
  mark_removed(div);
  *last = std::move(ln);
  return true;
}

Result<int> run_layer_norm_fusion(Model& model) { return rewrite_each(model.graph, fuse); }

}  // namespace

const Pass kLayerNormFusion{.name = "layer_norm_fusion", .min_level = 2, .run = run_layer_norm_fusion};

}  // namespace ew
