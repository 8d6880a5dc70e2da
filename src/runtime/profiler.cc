#include "runtime/profiler.h"

#include <algorithm>

namespace ew {

Profiler::Profiler(const Model& model, const ModelStats& stats) {
  size_t next = 0;
  index_graph(model.graph, stats, next, false);
}

// Mirrors compute_model_stats' walk (nodes in order, each node's subgraphs
// right after it), so the K-th node met is stats.per_node[K].
void Profiler::index_graph(const Graph& graph, const ModelStats& stats, size_t& next, bool nested) {
  for (const Node& n : graph.nodes) {
    NodeInfo& info = info_[&n];
    info.nested = nested;
    info.index = static_cast<int>(next);
    if (next < stats.per_node.size() && stats.per_node[next].node == n.name) info.cost = &stats.per_node[next];
    if (!n.name.empty()) by_name_.emplace(n.name, info);
    ++next;
    for (const auto& [key, a] : n.attributes) {
      if (a.g) index_graph(*a.g, stats, next, true);
      for (const auto& sg : a.graphs)
        if (sg) index_graph(*sg, stats, next, true);
    }
  }
}

std::string covered_op_types(const std::vector<const Node*>& nodes) {
  std::vector<std::pair<std::string, int>> counts;
  for (const Node* n : nodes) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == n->op_type; });
    if (it == counts.end()) counts.emplace_back(n->op_type, 1);
    else ++it->second;
  }
  std::string label;
  for (const auto& [op, count] : counts)
    label += (label.empty() ? "" : "+") + op + (count > 1 ? "*" + std::to_string(count) : "");
  return label;
}

const Profiler::NodeInfo* Profiler::find(const Node* n) const {
  auto it = info_.find(n);
  if (it != info_.end()) return &it->second;
  auto named = n->name.empty() ? by_name_.end() : by_name_.find(n->name);
  return named != by_name_.end() ? &named->second : nullptr;
}

void Profiler::after_step(const StepEvent& event) {
  auto [it, inserted] = entries_.try_emplace(&event.node);
  ProfileEntry& e = it->second;
  if (inserted) {
    order_.push_back(&event.node);
    const NodeInfo* info = find(&event.node);
    e.nested = info && info->nested;
    e.name = event.node.name.empty() ? event.node.op_type + "#" + std::to_string(info ? info->index : 0) : event.node.name;
    e.backend = event.backend ? event.backend : "";
    e.nodes = static_cast<int>(std::max<size_t>(1, event.nodes.size()));
    std::vector<const Node*> covered = event.nodes;
    if (covered.empty()) covered.push_back(&event.node);
    e.op_type = covered_op_types(covered);
    for (const Node* n : covered) {
      const NodeInfo* ni = find(n);
      if (!ni || !ni->cost) continue;
      e.macs += ni->cost->macs;
      e.flops += ni->cost->flops;
    }
  }
  ++e.calls;
  e.total_ms += event.seconds * 1e3;
}

namespace {
void finish(std::vector<ProfileEntry>& rows, double total_ms) {
  for (ProfileEntry& r : rows) {
    r.share = total_ms > 0 ? 100.0 * r.total_ms / total_ms : 0.0;
    r.gflops = r.total_ms > 0 ? static_cast<double>(r.flops) * static_cast<double>(r.calls) / (r.total_ms * 1e6) : 0.0;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ProfileEntry& a, const ProfileEntry& b) { return a.total_ms > b.total_ms; });
}
}  // namespace

Profile Profiler::profile() const {
  Profile p;
  std::map<std::pair<std::string, std::string>, size_t> by_type;
  for (const Node* n : order_) {
    const ProfileEntry& e = entries_.at(n);
    p.nodes.push_back(e);
    if (!e.nested) p.total_ms += e.total_ms;
    auto [it, inserted] = by_type.try_emplace({e.op_type, e.backend}, p.op_types.size());
    if (inserted) {
      ProfileEntry t;
      t.op_type = e.op_type;
      t.backend = e.backend;
      t.nodes = 0;
      t.nested = e.nested;
      p.op_types.push_back(t);
    }
    ProfileEntry& t = p.op_types[it->second];
    // Per-type MACs/FLOPs are totals per call of every node of that type.
    t.nodes += 1;
    t.nested = t.nested && e.nested;
    t.calls += e.calls;
    t.total_ms += e.total_ms;
    t.macs += e.macs * e.calls;
    t.flops += e.flops * e.calls;
  }
  for (ProfileEntry& t : p.op_types) {
    // Turn the summed work back into work per call so gflops = flops * calls / time holds.
    if (t.calls > 0) {
      t.macs /= t.calls;
      t.flops /= t.calls;
    }
  }
  finish(p.nodes, p.total_ms);
  finish(p.op_types, p.total_ms);
  return p;
}

nlohmann::json profile_to_json(const Profile& profile) {
  auto rows = [](const std::vector<ProfileEntry>& entries, bool with_name) {
    nlohmann::json a = nlohmann::json::array();
    for (const ProfileEntry& e : entries) {
      nlohmann::json r = {{"op_type", e.op_type}, {"backend", e.backend}, {"nodes", e.nodes}, {"calls", e.calls},
                          {"total_ms", e.total_ms}, {"share_pct", e.share}, {"macs", e.macs},
                          {"flops", e.flops}, {"gflops", e.gflops}, {"nested", e.nested}};
      if (with_name) r["name"] = e.name;
      a.push_back(std::move(r));
    }
    return a;
  };
  return {{"total_ms", profile.total_ms}, {"nodes", rows(profile.nodes, true)}, {"op_types", rows(profile.op_types, false)}};
}

}  // namespace ew
