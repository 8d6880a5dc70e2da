// Small builders for hand-made graphs with subgraphs (If/Loop/Scan tests).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/session.h"

namespace ew::test {

inline Node make_node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                      std::map<std::string, Attribute> attrs = {}) {
  Node n;
  n.name = op + "_" + (outputs.empty() ? std::string("x") : outputs[0]);
  n.op_type = op;
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  n.attributes = std::move(attrs);
  return n;
}

inline ValueInfo typed(const std::string& name, DType dtype, std::vector<Dim> dims) {
  return {name, ValueType{dtype, true, std::move(dims)}};
}
inline ValueInfo untyped(const std::string& name) { return {name, {}}; }

inline std::shared_ptr<Graph> make_graph(const std::string& name, std::vector<ValueInfo> inputs,
                                         std::vector<ValueInfo> outputs, std::vector<Node> nodes,
                                         std::map<std::string, Tensor> initializers = {}) {
  auto g = std::make_shared<Graph>();
  g->name = name;
  g->inputs = std::move(inputs);
  g->outputs = std::move(outputs);
  g->nodes = std::move(nodes);
  g->initializers = std::move(initializers);
  return g;
}

inline Result<std::unique_ptr<Session>> make_session(const Graph& graph, int64_t opset = 17) {
  Model m;
  m.opsets.push_back({"", opset});
  m.graph = graph;
  return Session::create(std::move(m));
}

inline Result<std::vector<Tensor>> run_graph(const Graph& graph, const std::map<std::string, Tensor>& feeds,
                                             int64_t opset = 17) {
  EW_ASSIGN_OR_RETURN(auto session, make_session(graph, opset));
  return session->run(feeds);
}

}  // namespace ew::test
