// Shared machinery for passes: who produces and reads each value, constant
// lookups, fresh names, and a driver that applies one rewrite at a time.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

// Producer and readers of every value in one graph (not its subgraphs).
struct ValueUses {
  explicit ValueUses(const Graph& graph);
  std::map<std::string, size_t> producer;                // value -> index of the node making it
  std::map<std::string, std::vector<size_t>> consumers;  // value -> nodes reading it as an explicit input
  std::set<std::string> pinned;                          // graph outputs and values read by subgraphs

  // True when `name` has exactly one reader (a node) and is not pinned.
  bool single_use(const std::string& name) const;
  // The node producing `name`, or nullptr (graph input, initializer, absent).
  const Node* producer_of(const Graph& g, const std::string& name) const;
  // The single consumer of `name` when single_use, else nullptr.
  Node* only_consumer(Graph& g, const std::string& name) const;
};

// Marks a node for removal; rewrite_each erases marked nodes.
inline void mark_removed(Node& node) { node.op_type.clear(); }
inline bool is_removed(const Node& node) { return node.op_type.empty(); }
void erase_removed(Graph& graph);

// Calls `try_rewrite(graph, uses, i)` for each node index i; whenever it
// returns true (it rewrote the graph), removed nodes are erased and the uses
// rebuilt. Returns the number of rewrites.
int rewrite_each(Graph& graph, const std::function<bool(Graph&, const ValueUses&, size_t)>& try_rewrite);

// A name not used by any value, initializer or node of the graph.
std::string fresh_name(const Graph& graph, const std::string& hint);
// Adds `value` as a new initializer and returns its name.
std::string add_initializer(Graph& graph, const std::string& hint, Tensor value);

// The constant tensor behind a name (initializer), or nullptr.
const Tensor* constant_of(const Graph& graph, const std::string& name);
// The value of a one-element constant, if `name` is one.
bool scalar_constant(const Graph& graph, const std::string& name, double* value);
// True when `name` is a one-element constant equal to `want` within `tol` (relative).
bool constant_near(const Graph& graph, const std::string& name, double want, double tol = 1e-4);

// The dtype of a value when known (inputs, initializers, inferred types).
DType value_dtype(const Graph& graph, const std::string& name);

// Imports `domain` at `version` unless the model already imports it.
void ensure_opset(Model& model, const std::string& domain, int64_t version);

// The other input of a two-input node, given one of them.
const std::string& other_input(const Node& node, const std::string& one);

}  // namespace ew
