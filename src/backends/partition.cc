#include "backends/partition.h"

#include <algorithm>

namespace ew {

void find_partition_boundary(const StepList& steps, const TypeLookup& types, Partition& p) {
  std::set<std::string> produced;
  for (int k = p.begin; k < p.end; ++k) {
    const Node& node = *steps.nodes[k];
    for (const auto& in : node.inputs) {
      if (in.empty() || produced.count(in) || types.constant(in)) continue;
      if (std::find(p.inputs.begin(), p.inputs.end(), in) == p.inputs.end()) p.inputs.push_back(in);
    }
    for (const auto& out : node.outputs)
      if (!out.empty()) produced.insert(out);
    p.nodes.push_back(&node);
  }
  std::set<std::string> read_later = steps.graph_outputs;
  for (size_t k = static_cast<size_t>(p.end); k < steps.size(); ++k)
    read_later.insert(steps.reads[k].begin(), steps.reads[k].end());
  for (int k = p.begin; k < p.end; ++k)
    for (const auto& out : steps.nodes[k]->outputs)
      if (!out.empty() && read_later.count(out)) p.outputs.push_back(out);
}

}  // namespace ew
