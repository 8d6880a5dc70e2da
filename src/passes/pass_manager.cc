#include "passes/pass_manager.h"

#include <set>

#include "ir/body_rewrite.h"
#include "passes/pass_list.h"
#include "ops/shape_inference.h"

namespace ew {

namespace {

constexpr int kMaxIterations = 8;

// Drops inferred types of values no node produces any more (folded or fused away).
void drop_stale_types(Graph& g) {
  std::set<std::string> produced;
  for (const auto& node : g.nodes)
    for (const auto& o : node.outputs) produced.insert(o);
  for (auto it = g.value_types.begin(); it != g.value_types.end();)
    it = produced.count(it->first) ? std::next(it) : g.value_types.erase(it);
}

Status refresh(Model& model) {
  EW_RETURN_IF_ERROR(model.graph.sort_and_validate());
  drop_stale_types(model.graph);
  return infer_shapes(model);
}

// Runs `passes` over model.graph until nothing changes, adding to the counts in r.passes.
Status run_to_fixpoint(Model& model, const std::vector<const Pass*>& passes, OptimizeReport& r, int* iterations) {
  // Types drive several passes; a graph whose shapes cannot be inferred is left as it is.
  if (passes.empty() || !refresh(model).is_ok()) return Status::ok();
  for (int it = 0; it < kMaxIterations; ++it) {
    if (iterations) ++*iterations;
    int changed = 0;
    for (size_t k = 0; k < passes.size(); ++k) {
      auto n = passes[k]->run(model);
      if (!n.is_ok()) return n.status().with_context(std::string("pass ") + passes[k]->name + ": ");
      if (*n == 0) continue;
      r.passes[k].rewrites += *n;
      changed += *n;
      EW_RETURN_IF_ERROR(refresh(model).with_context(std::string("after pass ") + passes[k]->name + ": "));
    }
    if (changed == 0) break;
  }
  return Status::ok();
}

bool has_bodies(const Graph& g) {
  for (const auto& node : g.nodes)
    for (const auto& [k, a] : node.attributes)
      if (a.g || !a.graphs.empty()) return true;
  return false;
}

}  // namespace

std::map<std::string, int> op_histogram(const Graph& graph) {
  std::map<std::string, int> h;
  for (const auto& node : graph.nodes) ++h[node.domain.empty() ? node.op_type : node.domain + "::" + node.op_type];
  return h;
}

Status optimize_model(Model& model, int level, OptimizeReport* report) {
  OptimizeReport local;
  OptimizeReport& r = report ? *report : local;
  r = OptimizeReport{};
  r.level = level;
  r.nodes_before = model.graph.nodes.size();
  r.ops_before = op_histogram(model.graph);
  std::vector<const Pass*> passes;
  for (const Pass* p : all_passes())
    if (level >= p->min_level) passes.push_back(p);
  for (const Pass* p : passes) r.passes.push_back({p->name, 0});
  EW_RETURN_IF_ERROR(run_to_fixpoint(model, passes, r, &r.iterations));
  if (!passes.empty() && has_bodies(model.graph) && refresh(model).is_ok()) {
    // Bodies next, each as a graph of its own whose outer-scope values are
    // inputs (body_rewrite.h): passes never touch what a body reads from outside.
    auto optimize_body = [&](Model& body, const std::string&) { return run_to_fixpoint(body, passes, r, nullptr); };
    EW_RETURN_IF_ERROR(rewrite_bodies(model, {}, optimize_body));
    EW_RETURN_IF_ERROR(refresh(model).with_context("after optimizing If/Loop/Scan bodies: "));
  }
  r.nodes_after = model.graph.nodes.size();
  r.ops_after = op_histogram(model.graph);
  return Status::ok();
}

}  // namespace ew
