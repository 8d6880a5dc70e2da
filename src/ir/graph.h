// Graph and Model: the Edgewise IR. A Graph owns nodes, its inputs and
// outputs with their static types, initializers (constant tensors), and the
// known types of intermediate values. Subgraphs (If/Loop/Scan bodies) are
// Graphs held in node attributes and may read values of enclosing graphs.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ir/node.h"
#include "ir/value_type.h"

namespace ew {

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<ValueInfo> inputs;   // includes only real inputs, never initializers
  std::vector<ValueInfo> outputs;
  std::map<std::string, Tensor> initializers;
  std::map<std::string, ValueType> value_types;  // known types of intermediate values

  bool is_initializer(const std::string& n) const { return initializers.count(n) > 0; }
  const Tensor* initializer(const std::string& n) const;
  // Type of any named value: graph input, output, initializer or intermediate; nullptr if unknown.
  const ValueType* find_type(const std::string& n) const;

  // Orders nodes so that every node comes after the producers of its inputs.
  // Fails naming the values involved when the graph has a cycle, a value
  // produced twice, or a dangling input (one that is neither produced, a graph
  // input, an initializer, nor in `outer_scope`). Recurses into subgraphs.
  Status sort_and_validate(const std::set<std::string>& outer_scope = {});

  // Number of nodes including those in nested subgraphs.
  size_t total_nodes() const;
};

// Subgraph attributes hold shared_ptr<Graph>, so copying a Graph or Model
// shares its If/Loop/Scan bodies with the original. These copies own fresh
// bodies (recursively): rewrite the copy without touching the original.
Graph deep_copy(const Graph& graph);

// Values a node's subgraphs read from enclosing scopes (empty for plain nodes).
std::set<std::string> node_implicit_inputs(const Node& node);

struct OpsetImport {
  std::string domain;
  int64_t version = 0;
};

struct Model {
  Graph graph;
  std::vector<OpsetImport> opsets;
  int64_t ir_version = 8;
  std::string producer_name;
  std::string producer_version;
  std::string doc;
  std::map<std::string, std::string> metadata;

  // Opset version for a domain ("" and "ai.onnx" are the same); 0 when not imported.
  int64_t opset(const std::string& domain) const;
};

Model deep_copy(const Model& model);

}  // namespace ew
