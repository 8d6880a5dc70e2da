#include "ir/graph.h"

#include <memory>
#include <queue>
#include <unordered_map>

namespace ew {

std::string ValueType::to_string() const {
  std::string s = dtype_name(dtype);
  if (!has_shape) return s + "[?]";
  s += "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + dims[i].to_string();
  return s + "]";
}

const Tensor* Graph::initializer(const std::string& n) const {
  auto it = initializers.find(n);
  return it == initializers.end() ? nullptr : &it->second;
}

const ValueType* Graph::find_type(const std::string& n) const {
  for (const auto& v : inputs) if (v.name == n) return &v.type;
  for (const auto& v : outputs) if (v.name == n && v.type.dtype != DType::kUndefined) return &v.type;
  auto it = value_types.find(n);
  return it == value_types.end() ? nullptr : &it->second;
}

namespace {

// Names visible to a node's subgraphs: everything in this graph plus the outer scope.
std::set<std::string> visible_names(const Graph& g, const std::set<std::string>& outer) {
  std::set<std::string> names = outer;
  for (const auto& v : g.inputs) names.insert(v.name);
  for (const auto& [n, t] : g.initializers) names.insert(n);
  for (const auto& node : g.nodes)
    for (const auto& o : node.outputs) if (!o.empty()) names.insert(o);
  return names;
}

// Outer values a node's subgraphs read count as implicit inputs for ordering.
void collect_implicit_inputs(const Graph& g, std::set<std::string>& out) {
  std::set<std::string> local;
  for (const auto& v : g.inputs) local.insert(v.name);
  for (const auto& [n, t] : g.initializers) local.insert(n);
  for (const auto& node : g.nodes) for (const auto& o : node.outputs) local.insert(o);
  for (const auto& node : g.nodes) {
    for (const auto& i : node.inputs) if (!i.empty() && !local.count(i)) out.insert(i);
    for (const auto& [k, a] : node.attributes) {
      std::set<std::string> inner;
      if (a.g) collect_implicit_inputs(*a.g, inner);
      for (const auto& sg : a.graphs) if (sg) collect_implicit_inputs(*sg, inner);
      for (const auto& n : inner) if (!local.count(n)) out.insert(n);
    }
  }
  for (const auto& o : g.outputs) if (!local.count(o.name)) out.insert(o.name);
}

}  // namespace

std::set<std::string> node_implicit_inputs(const Node& node) {
  std::set<std::string> out;
  for (const auto& [k, a] : node.attributes) {
    if (a.g) collect_implicit_inputs(*a.g, out);
    for (const auto& sg : a.graphs) if (sg) collect_implicit_inputs(*sg, out);
  }
  return out;
}

Status Graph::sort_and_validate(const std::set<std::string>& outer_scope) {
  std::unordered_map<std::string, size_t> producer;
  std::set<std::string> available = outer_scope;
  for (const auto& v : inputs) available.insert(v.name);
  for (const auto& [n, t] : initializers) available.insert(n);
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& o : nodes[i].outputs) {
      if (o.empty()) continue;
      if (producer.count(o) || (available.count(o) && !outer_scope.count(o)))
        return invalid_model("value '" + o + "' is produced more than once (again by node " + nodes[i].label() + ")");
      producer[o] = i;
    }
  }
  // Kahn's algorithm over producer -> consumer edges, stable in file order.
  std::vector<std::vector<size_t>> consumers(nodes.size());
  std::vector<size_t> pending(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::set<std::string> deps = node_implicit_inputs(nodes[i]);
    deps.insert(nodes[i].inputs.begin(), nodes[i].inputs.end());
    for (const auto& in : deps) {
      if (in.empty()) continue;
      auto p = producer.find(in);
      if (p != producer.end()) {
        consumers[p->second].push_back(i);
        ++pending[i];
      } else if (!available.count(in)) {
        return invalid_model("node " + nodes[i].label() + " reads '" + in +
                             "', which no node produces and is not a graph input or initializer");
      }
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < nodes.size(); ++i) if (pending[i] == 0) ready.push(i);
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t c : consumers[i]) if (--pending[c] == 0) ready.push(c);
  }
  if (order.size() != nodes.size()) {
    for (size_t i = 0; i < nodes.size(); ++i)
      if (pending[i]) return invalid_model("graph '" + name + "' has a cycle through node " + nodes[i].label());
  }
  std::vector<Node> sorted;
  sorted.reserve(nodes.size());
  for (size_t i : order) sorted.push_back(std::move(nodes[i]));
  nodes = std::move(sorted);
  for (const auto& o : outputs)
    if (!producer.count(o.name) && !available.count(o.name))
      return invalid_model("graph output '" + o.name + "' is never produced");
  std::set<std::string> scope = visible_names(*this, outer_scope);
  for (auto& node : nodes) {
    for (auto& [k, a] : node.attributes) {
      if (a.g) EW_RETURN_IF_ERROR(a.g->sort_and_validate(scope).with_context("in subgraph '" + k + "' of node " + node.label() + ": "));
      for (auto& sg : a.graphs)
        if (sg) EW_RETURN_IF_ERROR(sg->sort_and_validate(scope).with_context("in subgraph of node " + node.label() + ": "));
    }
  }
  return Status::ok();
}

size_t Graph::total_nodes() const {
  size_t n = nodes.size();
  for (const auto& node : nodes)
    for (const auto& [k, a] : node.attributes) {
      if (a.g) n += a.g->total_nodes();
      for (const auto& sg : a.graphs) if (sg) n += sg->total_nodes();
    }
  return n;
}

Graph deep_copy(const Graph& graph) {
  Graph copy = graph;
  for (Node& node : copy.nodes)
    for (auto& [key, a] : node.attributes) {
      if (a.g) a.g = std::make_shared<Graph>(deep_copy(*a.g));
      for (auto& sg : a.graphs)
        if (sg) sg = std::make_shared<Graph>(deep_copy(*sg));
    }
  return copy;
}

Model deep_copy(const Model& model) {
  Model copy = model;
  copy.graph = deep_copy(model.graph);
  return copy;
}

int64_t Model::opset(const std::string& domain) const {
  std::string d = domain == "ai.onnx" ? "" : domain;
  for (const auto& o : opsets) {
    std::string od = o.domain == "ai.onnx" ? "" : o.domain;
    if (od == d) return o.version;
  }
  return 0;
}

}  // namespace ew
