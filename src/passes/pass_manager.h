// The graph optimizer: runs the passes of a level to a fixpoint, then
// re-infers shapes and validates the result.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

struct PassCount {
  std::string pass;
  int rewrites = 0;
};

struct OptimizeReport {
  int level = 0;
  int iterations = 0;                     // rounds over the pass list until nothing changed
  std::vector<PassCount> passes;          // every pass that ran, in run order, with total rewrites
  size_t nodes_before = 0, nodes_after = 0;
  std::map<std::string, int> ops_before, ops_after;  // op histograms ("com.microsoft::FusedConv")
};

// Optimizes `model` at `level` (0, 1 or 2; higher values act as 2). On error
// the model may be partly rewritten; the Status names the pass.
Status optimize_model(Model& model, int level, OptimizeReport* report = nullptr);

// "Conv", or "com.microsoft::FusedConv" for other domains.
std::map<std::string, int> op_histogram(const Graph& graph);

}  // namespace ew
