#include "backends/xnnpack/xnnpack_partitioner.h"

#include <algorithm>
#include <set>

#include "backends/xnnpack/xnnpack_kernel.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace ew {

namespace {

bool supported(const Node& node, const TypeLookup& types) {
  const XnnpackLowering* l = find_xnnpack_lowering(node);
  return l && l->supports(node, types);
}

bool is_reshape_like(const Node& n) {
  return n.op_type == "Reshape" || n.op_type == "Flatten" || n.op_type == "Squeeze" || n.op_type == "Unsqueeze";
}

// Names each step reads, including values its subgraphs read from outside.
std::vector<std::set<std::string>> reads_per_step(const GraphExecutor& exec) {
  std::vector<std::set<std::string>> reads;
  for (const auto& s : exec.steps()) {
    std::set<std::string> r(s.node->inputs.begin(), s.node->inputs.end());
    for (const auto& name : node_implicit_inputs(*s.node)) r.insert(name);
    r.erase("");
    reads.push_back(std::move(r));
  }
  return reads;
}

// Fills the boundary of steps [begin, end): values read from outside, values read after it.
void find_boundary(const GraphExecutor& exec, const Graph& graph, const TypeLookup& types,
                   const std::vector<std::set<std::string>>& reads, Partition& p) {
  const auto& steps = exec.steps();
  std::set<std::string> produced;
  for (int k = p.begin; k < p.end; ++k) {
    const Node& node = *steps[k].node;
    for (const auto& in : node.inputs) {
      if (in.empty() || produced.count(in) || types.constant(in)) continue;
      if (std::find(p.inputs.begin(), p.inputs.end(), in) == p.inputs.end()) p.inputs.push_back(in);
    }
    for (const auto& out : node.outputs) if (!out.empty()) produced.insert(out);
    p.nodes.push_back(&node);
  }
  std::set<std::string> read_later;
  for (size_t k = static_cast<size_t>(p.end); k < steps.size(); ++k) read_later.insert(reads[k].begin(), reads[k].end());
  for (const auto& v : graph.outputs) read_later.insert(v.name);
  for (int k = p.begin; k < p.end; ++k)
    for (const auto& out : steps[k].node->outputs)
      if (!out.empty() && read_later.count(out)) p.outputs.push_back(out);
}

}  // namespace

bool xnnpack_available() {
  static const bool ok = xnn_initialize(nullptr) == xnn_status_success;
  return ok;
}

Result<std::vector<Partition>> partition_for_xnnpack(const GraphExecutor& exec, const Graph& graph,
                                                     const TypeLookup& types, const XnnpackOptions& options) {
  std::vector<Partition> partitions;
  if (!xnnpack_available()) return partitions;
  const auto& steps = exec.steps();
  auto reads = reads_per_step(exec);
  auto takes = [&](size_t k) {
    return !(k < options.excluded.size() && options.excluded[k]) && supported(*steps[k].node, types);
  };
  for (size_t k = 0; k < steps.size();) {
    if (!takes(k)) {
      ++k;
      continue;
    }
    Partition p;
    p.begin = static_cast<int>(k);
    bool worth_it = false;
    while (k < steps.size() && takes(k)) worth_it |= !is_reshape_like(*steps[k++].node);
    p.end = static_cast<int>(k);
    if (!worth_it) continue;
    find_boundary(exec, graph, types, reads, p);
    if (p.outputs.empty()) continue;
    auto kernel = XnnpackKernel::create(p.nodes, p.inputs, p.outputs, types, options);
    if (!kernel.is_ok()) {  // the reference kernels run these nodes instead
      if (options.diagnostics)
        options.diagnostics->push_back("XNNPACK partition at " + p.nodes.front()->label() + " (" +
                                       std::to_string(p.nodes.size()) + " nodes) rejected: " + kernel.status().message());
      continue;
    }
    p.kernel = std::move(kernel).value();
    p.backend = "xnnpack";
    partitions.push_back(std::move(p));
  }
  return partitions;
}

}  // namespace ew
