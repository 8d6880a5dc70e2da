// Conv + activation -> com.microsoft::FusedConv, and Conv + Add(residual)
// (+ activation) -> FusedConv with its 4th input Z, as ONNX Runtime fuses them:
//   Conv -> Relu                    => FusedConv(X, W, B) activation=Relu
//   Conv -> Add(., Z)               => FusedConv(X, W, B, Z)
//   FusedConv (no activation) -> act => the same FusedConv with the activation
// Z must have exactly the Conv output's shape (known or same-named dims).
// float32 only (ORT's FusedConv is float). HardSwish is not fused: ORT's
// FusedConv has no HardSwish activation.
#include "passes/activation_match.h"
#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

bool same_static_shape(const ValueType* a, const ValueType* b) {
  if (!a || !b || !a->has_shape || !b->has_shape || a->dims.size() != b->dims.size()) return false;
  for (size_t k = 0; k < a->dims.size(); ++k) {
    const Dim &x = a->dims[k], &y = b->dims[k];
    if (!(x == y) || (!x.known() && x.symbol.empty())) return false;
  }
  return true;
}

Node to_fused(const Node& conv) {
  Node f = conv;
  f.op_type = "FusedConv";
  f.domain = "com.microsoft";
  f.inputs.resize(3);
  if (f.inputs[2].empty()) f.inputs.resize(2);
  return f;
}

bool is_float_conv(const Graph& g, const Node& n) {
  return n.op_type == "Conv" && n.domain.empty() && n.outputs.size() == 1 &&
         value_dtype(g, n.inputs[0]) == DType::kFloat32;
}

// Add(conv_out, Z) -> FusedConv with Z.
bool fuse_add(Graph& g, const ValueUses& uses, Node& add) {
  if (add.op_type != "Add" || !add.domain.empty() || add.inputs.size() != 2) return false;
  for (int side = 0; side < 2; ++side) {
    const std::string x = add.inputs[side], z = add.inputs[1 - side];
    auto p = uses.producer.find(x);
    if (p == uses.producer.end() || !uses.single_use(x) || constant_of(g, z) || x == z) continue;
    Node& conv = g.nodes[p->second];
    if (!is_float_conv(g, conv) || !same_static_shape(g.find_type(x), g.find_type(z))) continue;
    Node f = to_fused(conv);
    f.inputs.resize(4);
    f.inputs[3] = z;
    f.outputs = add.outputs;
    mark_removed(conv);
    add = std::move(f);
    return true;
  }
  return false;
}

bool fuse_activation(Model& model, Graph& g, const ValueUses& uses, Node& act) {
  ActivationMatch m;
  if (!match_activation(g, act, model.opset(""), &m)) return false;
  const std::string& x = act.inputs[0];
  auto p = uses.producer.find(x);
  if (p == uses.producer.end() || !uses.single_use(x)) return false;
  Node& prod = g.nodes[p->second];
  Node f;
  if (is_float_conv(g, prod)) {
    f = to_fused(prod);
  } else if (prod.op_type == "FusedConv" && prod.domain == "com.microsoft" &&
             prod.attr_string("activation", "").empty()) {
    f = prod;
  } else {
    return false;
  }
  f.attributes["activation"] = Attribute::make_string(m.name);
  if (!m.params.empty()) f.attributes["activation_params"] = Attribute::make_floats(m.params);
  f.outputs = act.outputs;
  mark_removed(prod);
  act = std::move(f);
  return true;
}

Result<int> run_conv_activation_fusion(Model& model) {
  int n = rewrite_each(model.graph, [&](Graph& g, const ValueUses& uses, size_t i) {
    return fuse_add(g, uses, g.nodes[i]) || fuse_activation(model, g, uses, g.nodes[i]);
  });
  if (n > 0) ensure_opset(model, "com.microsoft", 1);
  return n;
}

}  // namespace

const Pass kConvActivationFusion{.name = "conv_activation_fusion", .min_level = 2, .run = run_conv_activation_fusion};

}  // namespace ew
