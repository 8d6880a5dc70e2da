#include "passes/opset/opset_converter.h"

#include <onnx/defs/schema.h>

#include <algorithm>

#include "ir/onnx_checker.h"
#include "ops/shape_inference.h"
#include "passes/opset/adapter_list.h"
#include "passes/opset/opset_schema_check.h"

namespace ew {

namespace {

using opset::AdapterContext;
using opset::OpsetAdapter;

bool default_domain(const Node& n) { return n.domain.empty() || n.domain == "ai.onnx"; }

// The oldest IR version that may carry opset `v`; at least 4, because the
// exporter never lists initializers among the graph inputs (IR 3 requires it).
int64_t min_ir_version(int64_t v) {
  if (v <= 9) return 4;
  if (v == 10) return 5;
  if (v == 11) return 6;
  if (v <= 14) return 7;
  return 8;
}

template <typename Fn>
void for_each_node(const Graph& g, Fn&& fn) {
  for (const Node& n : g.nodes) {
    fn(n);
    for (const auto& [k, a] : n.attributes) {
      if (a.g) for_each_node(*a.g, fn);
      for (const auto& sg : a.graphs) if (sg) for_each_node(*sg, fn);
    }
  }
}

void drop_stale_types(Graph& g) {
  std::set<std::string> produced;
  for (Node& n : g.nodes) {
    produced.insert(n.outputs.begin(), n.outputs.end());
    for (auto& [k, a] : n.attributes) if (a.g) drop_stale_types(*a.g);
  }
  for (auto it = g.value_types.begin(); it != g.value_types.end();)
    it = produced.count(it->first) ? std::next(it) : g.value_types.erase(it);
}

// Removes released constants (initializers, Constant nodes) nothing reads any more.
void prune_released(Graph& g, const std::set<std::string>& released) {
  std::set<std::string> read;
  for (const Node& n : g.nodes) {
    read.insert(n.inputs.begin(), n.inputs.end());
    std::set<std::string> implicit = node_implicit_inputs(n);
    read.insert(implicit.begin(), implicit.end());
  }
  for (const auto& o : g.outputs) read.insert(o.name);
  for (const auto& name : released) {
    if (read.count(name)) continue;
    g.initializers.erase(name);
    g.nodes.erase(std::remove_if(g.nodes.begin(), g.nodes.end(),
                                 [&](const Node& n) { return n.op_type == "Constant" && n.outputs.size() == 1 && n.outputs[0] == name; }),
                  g.nodes.end());
  }
  for (Node& n : g.nodes)
    for (auto& [k, a] : n.attributes) if (a.g) prune_released(*a.g, released);
}

class Converter {
 public:
  Converter(Model& model, OpsetReport& report) : model_(model), report_(report), state_(model) {
    for (const auto* set : opset::all_opset_adapters())
      for (const OpsetAdapter& a : *set) adapters_[{a.op_type, a.boundary}].push_back(&a);
  }

  // One opset step over a graph and, first, the subgraphs of each node.
  Status step(Graph& g, const std::vector<Graph*>& outer, int64_t from, int64_t to, bool* changed) {
    const int64_t boundary = std::max(from, to);
    std::vector<Graph*> inner = outer;
    inner.push_back(&g);
    std::vector<std::vector<Node>> before(g.nodes.size()), after(g.nodes.size());
    std::vector<bool> removed(g.nodes.size(), false);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      Node& n = g.nodes[i];
      for (auto& [k, a] : n.attributes) {
        if (a.g) EW_RETURN_IF_ERROR(step(*a.g, inner, from, to, changed));
        for (auto& sg : a.graphs) if (sg) EW_RETURN_IF_ERROR(step(*sg, inner, from, to, changed));
      }
      if (!default_domain(n)) continue;
      auto found = adapters_.find({n.op_type, boundary});
      if (found == adapters_.end()) continue;
      for (const OpsetAdapter* a : found->second) {
        auto fn = to > from ? a->up : a->down;
        if (!fn || n.op_type != a->op_type || removed[i]) continue;
        const std::string label = n.label(), op = n.op_type, key = node_key(n);
        AdapterContext ctx(model_, g, outer, n, from, to, state_);
        EW_RETURN_IF_ERROR(fn(ctx));
        for (const auto& note : ctx.notes()) report_.rewrites.push_back({label, op, from, to, note});
        rewritten_.insert(key);
        for (auto& b : ctx.nodes_before()) before[i].push_back(std::move(b));
        for (auto& b : ctx.nodes_after()) after[i].push_back(std::move(b));
        removed[i] = ctx.removed();
        *changed = true;
      }
    }
    if (!*changed) return Status::ok();
    std::vector<Node> nodes;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      for (auto& b : before[i]) nodes.push_back(std::move(b));
      if (!removed[i]) nodes.push_back(std::move(g.nodes[i]));
      for (auto& b : after[i]) nodes.push_back(std::move(b));
    }
    g.nodes = std::move(nodes);
    return Status::ok();
  }

  void set_default_opset(int64_t v) {
    for (auto& o : model_.opsets)
      if (o.domain.empty() || o.domain == "ai.onnx") o.version = v;
  }

  Status run(int64_t from, int64_t target) {
    for_each_node(model_.graph, [&](const Node& n) { original_.insert(node_key(n)); });
    (void)infer_shapes(model_);  // types help adapters; a model inference cannot type is still converted
    for (int64_t v = from; v != target;) {
      const int64_t next = target > v ? v + 1 : v - 1;
      bool changed = false;
      EW_RETURN_IF_ERROR(step(model_.graph, {}, v, next, &changed));
      set_default_opset(next);
      v = next;
      if (!changed) continue;
      EW_RETURN_IF_ERROR(model_.graph.sort_and_validate().with_context("after converting to opset " + std::to_string(v) + ": "));
      drop_stale_types(model_.graph);
      (void)infer_shapes(model_);
    }
    prune_released(model_.graph, state_.released);
    EW_RETURN_IF_ERROR(opset::check_nodes_for_opset(model_, from, target, &report_.dropped_default_attributes));
    count_version_only(from, target);
    model_.ir_version = std::max(model_.ir_version, min_ir_version(target));
    drop_stale_types(model_.graph);
    EW_RETURN_IF_ERROR(infer_shapes(model_).with_context("shape inference of the model converted to opset " +
                                                         std::to_string(target) + ": "));
    EW_RETURN_IF_ERROR(check_onnx_model(model_).with_context("the model converted to opset " + std::to_string(target) +
                                                             " fails validation: "));
    return Status::ok();
  }

 private:
  static std::string node_key(const Node& n) { return n.op_type + "|" + n.name + "|" + (n.outputs.empty() ? "" : n.outputs[0]); }

  // Nodes of the original model no adapter touched whose op has another schema version at the target.
  void count_version_only(int64_t from, int64_t target) {
    for_each_node(model_.graph, [&](const Node& n) {
      const std::string key = node_key(n);
      if (!default_domain(n) || rewritten_.count(key) || !original_.count(key)) return;
      const auto* a = onnx::OpSchemaRegistry::Schema(n.op_type, static_cast<int>(from), "");
      const auto* b = onnx::OpSchemaRegistry::Schema(n.op_type, static_cast<int>(target), "");
      if (a && b && a->since_version() != b->since_version()) ++report_.version_only[n.op_type];
    });
  }

  Model& model_;
  OpsetReport& report_;
  opset::ConversionState state_;
  std::map<std::pair<std::string, int64_t>, std::vector<const OpsetAdapter*>> adapters_;
  std::set<std::string> original_, rewritten_;  // node_key of the model's own nodes, and of those adapters changed
};

}  // namespace

std::map<std::string, std::map<std::string, int>> OpsetReport::per_op() const {
  std::map<std::string, std::map<std::string, int>> m;
  for (const auto& r : rewrites) ++m[r.op_type][r.change];
  return m;
}

Status convert_opset(Model& model, int64_t target, OpsetReport* report) {
  OpsetReport local;
  OpsetReport& r = report ? *report : local;
  r = OpsetReport{};
  const int64_t from = model.opset("");
  r.from = from;
  r.to = target;
  r.ir_version_before = model.ir_version;
  r.nodes_before = model.graph.total_nodes();
  auto range = [](int64_t v) { return v >= kMinConvertibleOpset && v <= kMaxConvertibleOpset; };
  if (!range(target))
    return invalid_argument("target opset " + std::to_string(target) + " is outside the convertible range " +
                            std::to_string(kMinConvertibleOpset) + "-" + std::to_string(kMaxConvertibleOpset));
  if (from == 0) return invalid_model("the model imports no default-domain (ai.onnx) opset");
  if (!range(from))
    return unsupported("the model's opset " + std::to_string(from) + " is outside the convertible range " +
                       std::to_string(kMinConvertibleOpset) + "-" + std::to_string(kMaxConvertibleOpset));
  model.graph = deep_copy(model.graph);  // If/Loop/Scan bodies may be shared with copies of the model
  Converter c(model, r);
  EW_RETURN_IF_ERROR(c.run(from, target));
  r.ir_version_after = model.ir_version;
  r.nodes_after = model.graph.total_nodes();
  r.checked = true;
  return Status::ok();
}

}  // namespace ew
