// Profiler: a StepObserver that adds up, per model node and per op type, how
// often each step ran, how long it took, and what it achieved against the
// node's static cost (MACs/FLOPs from compute_model_stats). A fused step
// (one that covers several model nodes, e.g. an XNNPACK partition) is one
// entry: its cost is the sum of the covered nodes' and its op type reads
// "Conv*2+Clip+Add" (counts after a star).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ir/graph.h"
#include "runtime/executor.h"
#include "runtime/model_stats.h"

namespace ew {

struct ProfileEntry {
  std::string name;       // node name (a fused step's first node); "op_type#K" when the node has none
  std::string op_type;    // "Conv", or the covered op types joined by '+' for a fused step
  std::string backend;    // the backend that ran the step ("reference", a fast kernel, "xnnpack")
  int nodes = 1;          // model nodes the step covers
  bool nested = false;    // runs inside a subgraph; its time is also inside its parent's step
  int64_t calls = 0;
  double total_ms = 0;
  double share = 0;       // percent of Profile::total_ms
  int64_t macs = 0;       // per call
  int64_t flops = 0;      // per call
  double gflops = 0;      // flops * calls / total time, in GFLOP/s
};

struct Profile {
  double total_ms = 0;                 // summed time of the top-level steps (nested ones are inside them)
  std::vector<ProfileEntry> nodes;     // one per step, slowest first
  std::vector<ProfileEntry> op_types;  // per (op type, backend), slowest first; name is empty
};

class Profiler : public StepObserver {
 public:
  // `model` is the model whose nodes the observed steps point to (the
  // session's); `stats` its cost, computed on a copy with bound and inferred
  // shapes, in the node order compute_model_stats uses.
  Profiler(const Model& model, const ModelStats& stats);

  void after_step(const StepEvent& event) override;
  Profile profile() const;

 private:
  struct NodeInfo {
    const NodeCost* cost = nullptr;
    bool nested = false;
    int index = 0;
  };
  void index_graph(const Graph& graph, const ModelStats& stats, size_t& next, bool nested);

  const NodeInfo* find(const Node* n) const;

  std::map<const Node*, NodeInfo> info_;
  std::map<std::string, NodeInfo> by_name_;  // steps may point to a copy of the model (an execution plan's)
  std::map<const Node*, ProfileEntry> entries_;
  std::vector<const Node*> order_;  // first-seen order, for stable ties
};

nlohmann::json profile_to_json(const Profile& profile);

// "Conv", or for a fused step its op types in first-seen order with counts: "Sub+Conv*12+Add*2".
std::string covered_op_types(const std::vector<const Node*>& nodes);

}  // namespace ew
