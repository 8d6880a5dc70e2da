// Static facts about a model for `edgewise info` and cost models: op
// histogram, parameter count and bytes, and per-node MAC estimates from
// inferred shapes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

struct NodeCost {
  std::string node;
  std::string op_type;
  int64_t macs = 0;   // multiply-accumulates (conv, gemm, matmul, recurrent)
  int64_t flops = 0;  // 2*macs + elementwise work
  bool exact = true;  // false when a shape was unknown and the node's cost is a lower bound
};

struct ModelStats {
  std::map<std::string, int> op_histogram;  // includes nested subgraphs
  int64_t nodes = 0;
  int64_t parameters = 0;      // elements of all initializers
  int64_t weight_bytes = 0;    // bytes of all initializers
  int64_t macs = 0;
  int64_t flops = 0;
  bool cost_exact = true;
  std::vector<NodeCost> per_node;
  std::vector<std::string> unsupported_ops;  // "domain::Op (opset N)"
};

// One node's MACs and FLOPs from the inferred types in `graph`.
NodeCost node_cost(const Graph& graph, const Node& node);

// `model` should have inferred shapes (run infer_shapes after binding symbolic dims).
ModelStats compute_model_stats(const Model& model);

}  // namespace ew
