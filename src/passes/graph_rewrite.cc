#include "passes/graph_rewrite.h"

#include <algorithm>
#include <cmath>

namespace ew {

ValueUses::ValueUses(const Graph& graph) {
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    if (is_removed(node)) continue;
    for (const auto& o : node.outputs)
      if (!o.empty()) producer[o] = i;
    for (const auto& in : node.inputs)
      if (!in.empty()) consumers[in].push_back(i);
    for (const auto& in : node_implicit_inputs(node)) pinned.insert(in);
  }
  for (const auto& o : graph.outputs) pinned.insert(o.name);
}

bool ValueUses::single_use(const std::string& name) const {
  if (pinned.count(name)) return false;
  auto it = consumers.find(name);
  return it != consumers.end() && it->second.size() == 1;
}

const Node* ValueUses::producer_of(const Graph& g, const std::string& name) const {
  auto it = producer.find(name);
  return it == producer.end() ? nullptr : &g.nodes[it->second];
}

Node* ValueUses::only_consumer(Graph& g, const std::string& name) const {
  if (!single_use(name)) return nullptr;
  return &g.nodes[consumers.at(name)[0]];
}

void erase_removed(Graph& graph) {
  graph.nodes.erase(std::remove_if(graph.nodes.begin(), graph.nodes.end(), is_removed), graph.nodes.end());
}

int rewrite_each(Graph& graph, const std::function<bool(Graph&, const ValueUses&, size_t)>& try_rewrite) {
  int count = 0;
  ValueUses uses(graph);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (is_removed(graph.nodes[i]) || !try_rewrite(graph, uses, i)) continue;
    ++count;
    size_t before = 0;
    for (size_t k = 0; k < i; ++k) before += is_removed(graph.nodes[k]) ? 1 : 0;
    erase_removed(graph);
    i -= before;  // the rewritten node keeps its slot; revisit it (it may fuse again)
    uses = ValueUses(graph);
    --i;
  }
  return count;
}

std::string fresh_name(const Graph& graph, const std::string& hint) {
  auto used = [&](const std::string& n) {
    if (graph.initializers.count(n) || graph.value_types.count(n)) return true;
    for (const auto& v : graph.inputs) if (v.name == n) return true;
    for (const auto& v : graph.outputs) if (v.name == n) return true;
    for (const auto& node : graph.nodes) {
      if (node.name == n) return true;
      for (const auto& o : node.outputs) if (o == n) return true;
    }
    return false;
  };
  if (!used(hint)) return hint;
  for (int k = 1;; ++k) {
    std::string n = hint + "_" + std::to_string(k);
    if (!used(n)) return n;
  }
}

std::string add_initializer(Graph& graph, const std::string& hint, Tensor value) {
  std::string name = fresh_name(graph, hint);
  graph.initializers[name] = std::move(value);
  return name;
}

const Tensor* constant_of(const Graph& graph, const std::string& name) {
  if (name.empty()) return nullptr;
  return graph.initializer(name);
}

bool scalar_constant(const Graph& graph, const std::string& name, double* value) {
  const Tensor* t = constant_of(graph, name);
  if (!t || t->numel() != 1) return false;
  *value = t->get_double(0);
  return true;
}

bool constant_near(const Graph& graph, const std::string& name, double want, double tol) {
  double v = 0;
  return scalar_constant(graph, name, &v) && std::fabs(v - want) <= tol * std::max(1.0, std::fabs(want));
}

DType value_dtype(const Graph& graph, const std::string& name) {
  if (const Tensor* t = graph.initializer(name)) return t->dtype();
  const ValueType* vt = graph.find_type(name);
  return vt ? vt->dtype : DType::kUndefined;
}

void ensure_opset(Model& model, const std::string& domain, int64_t version) {
  if (model.opset(domain) == 0) model.opsets.push_back({domain, version});
}

const std::string& other_input(const Node& node, const std::string& one) {
  return node.inputs[0] == one ? node.inputs[1] : node.inputs[0];
}

}  // namespace ew
