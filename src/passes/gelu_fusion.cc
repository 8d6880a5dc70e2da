// The exact GELU exporters emit as primitive ops -> com.microsoft::Gelu(x):
//   e = Erf(Div(x, sqrt2))   (or Mul(x, 1/sqrt2))
//   A: Mul(Mul(x, Add(e, 1)), 0.5)
//   B: Mul(Mul(x, 0.5), Add(e, 1))
//   C: Mul(x, Mul(Add(e, 1), 0.5))
// Every intermediate must be read only inside the pattern. float32 only.
#include <cmath>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

bool is_op(const Node* n, const char* op) { return n && n->op_type == op && n->domain.empty() && n->inputs.size() == 2; }

// Mul(v, 0.5) in either order: returns the other input, or "".
std::string times_half(const Graph& g, const Node* n) {
  if (!is_op(n, "Mul")) return "";
  for (int s = 0; s < 2; ++s)
    if (constant_near(g, n->inputs[s], 0.5)) return n->inputs[1 - s];
  return "";
}

// Finds the node making x * 0.5 * (1 + e) from the Add(e, 1) node's output `a`.
Node* gelu_end(Graph& g, const ValueUses& u, const std::string& x, const std::string& a, std::vector<Node*>* inner) {
  Node* m1 = u.only_consumer(g, a);
  if (!is_op(m1, "Mul")) return nullptr;
  const std::string& other = other_input(*m1, a);
  if (other == x) {  // A: Mul(x, a) then * 0.5
    Node* m2 = u.only_consumer(g, m1->outputs[0]);
    if (times_half(g, m2) != m1->outputs[0]) return nullptr;
    inner->push_back(m1);
    return m2;
  }
  if (constant_near(g, other, 0.5)) {  // C: Mul(a, 0.5) then * x
    Node* m2 = u.only_consumer(g, m1->outputs[0]);
    if (!is_op(m2, "Mul") || other_input(*m2, m1->outputs[0]) != x) return nullptr;
    inner->push_back(m1);
    return m2;
  }
  const Node* half = u.producer_of(g, other);  // B: Mul(x, 0.5) * a
  if (!u.single_use(other) || times_half(g, half) != x) return nullptr;
  inner->push_back(const_cast<Node*>(half));
  return m1;
}

bool fuse(Graph& g, const ValueUses& u, size_t i) {
  Node& erf = g.nodes[i];
  if (erf.op_type != "Erf" || !erf.domain.empty() || erf.inputs.size() != 1 || !u.single_use(erf.inputs[0])) return false;
  Node* scale = const_cast<Node*>(u.producer_of(g, erf.inputs[0]));
  if (!is_op(scale, "Div") && !is_op(scale, "Mul")) return false;
  const std::string x = scale->inputs[0];
  const double want = scale->op_type == "Div" ? std::sqrt(2.0) : 1.0 / std::sqrt(2.0);
  if (!constant_near(g, scale->inputs[1], want, 1e-3) || value_dtype(g, x) != DType::kFloat32) return false;
  Node* add = u.only_consumer(g, erf.outputs[0]);
  if (!is_op(add, "Add") || !constant_near(g, other_input(*add, erf.outputs[0]), 1.0)) return false;
  std::vector<Node*> inner{scale, &erf, add};
  Node* end = gelu_end(g, u, x, add->outputs[0], &inner);
  if (!end) return false;
  Node gelu;
  gelu.name = fresh_name(g, scale->name.empty() ? "Gelu" : scale->name + "_Gelu");
  gelu.op_type = "Gelu";
  gelu.domain = "com.microsoft";
  gelu.inputs = {x};
  gelu.outputs = end->outputs;
  for (Node* n : inner) mark_removed(*n);
  *end = std::move(gelu);
  return true;
}

Result<int> run_gelu_fusion(Model& model) {
  int n = rewrite_each(model.graph, fuse);
  if (n > 0) ensure_opset(model, "com.microsoft", 1);
  return n;
}

}  // namespace

const Pass kGeluFusion{.name = "gelu_fusion", .min_level = 2, .run = run_gelu_fusion};

}  // namespace ew
