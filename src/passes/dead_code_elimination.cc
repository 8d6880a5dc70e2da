// Dead code elimination: removes nodes none of whose outputs reach a graph
// output (directly or through values read by subgraphs), then initializers
// nothing reads. Assumes topological order (the pass manager sorts first).
#include <set>

#include "passes/graph_rewrite.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

Result<int> run_dead_code_elimination(Model& model) {
  Graph& g = model.graph;
  std::set<std::string> needed;
  for (const auto& o : g.outputs) needed.insert(o.name);
  int removed = 0;
  for (size_t k = g.nodes.size(); k-- > 0;) {
    Node& node = g.nodes[k];
    // A node without outputs is malformed; keep it so load-time validation reports it.
    bool live = true;
    for (const auto& o : node.outputs) live &= o.empty();
    for (const auto& o : node.outputs) live |= !o.empty() && needed.count(o) > 0;
    if (!live) {
      mark_removed(node);
      ++removed;
      continue;
    }
    for (const auto& in : node.inputs) if (!in.empty()) needed.insert(in);
    for (const auto& in : node_implicit_inputs(node)) needed.insert(in);
  }
  erase_removed(g);
  for (auto it = g.initializers.begin(); it != g.initializers.end();) {
    if (needed.count(it->first)) { ++it; continue; }
    it = g.initializers.erase(it);
    ++removed;
  }
  return removed;
}

}  // namespace

const Pass kDeadCodeElimination{.name = "dead_code_elimination", .min_level = 1, .run = run_dead_code_elimination};

}  // namespace ew
