#include "ir/body_rewrite.h"

#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

namespace ew {
namespace {

// Every name used in `g` and the graphs nested in it.
void collect_names(const Graph& g, std::set<std::string>& out) {
  for (const auto& v : g.inputs) out.insert(v.name);
  for (const auto& v : g.outputs) out.insert(v.name);
  for (const auto& [n, t] : g.initializers) out.insert(n);
  for (const Node& node : g.nodes) {
    out.insert(node.name);
    out.insert(node.outputs.begin(), node.outputs.end());
    for (const auto& [k, a] : node.attributes) {
      if (a.g) collect_names(*a.g, out);
      for (const auto& sg : a.graphs)
        if (sg) collect_names(*sg, out);
    }
  }
  out.erase("");
}

// Names defined at the top level of `g` (not in its nested bodies).
std::set<std::string> level_names(const Graph& g) {
  std::set<std::string> out;
  for (const auto& v : g.inputs) out.insert(v.name);
  for (const auto& [n, t] : g.initializers) out.insert(n);
  for (const Node& node : g.nodes) {
    out.insert(node.name);
    out.insert(node.outputs.begin(), node.outputs.end());
  }
  return out;
}

// What a body sees of its enclosing graphs (outermost first in `chain`).
struct OuterScope {
  std::map<std::string, ValueType> types;
  std::map<std::string, Graph*> initializer_owner;  // visible values that are initializers
};

OuterScope outer_scope(const std::vector<Graph*>& chain) {
  OuterScope s;
  for (Graph* g : chain) {
    auto define = [&](const std::string& n, const ValueType& t) {
      s.types[n] = t;
      s.initializer_owner.erase(n);
    };
    for (const auto& v : g->inputs) define(v.name, v.type);
    for (const Node& node : g->nodes)
      for (const auto& o : node.outputs) {
        if (o.empty()) continue;
        const ValueType* t = g->find_type(o);
        define(o, t ? *t : ValueType{});
      }
    for (const auto& [n, t] : g->initializers) {
      define(n, ValueType::of(t.dtype(), t.shape()));
      s.initializer_owner[n] = g;
    }
  }
  return s;
}

// What was added to a lent body, to take it out again.
struct Lent {
  std::set<std::string> extra_inputs;
  std::map<std::string, Tensor> copies;  // lent outer initializers
};

Lent lend(Graph& body, const OuterScope& outer, const std::set<std::string>& reads,
          const std::set<std::string>& all_names, bool lend_initializers) {
  const std::set<std::string> local = level_names(body);
  Lent l;
  for (const auto& n : reads) {
    auto it = outer.initializer_owner.find(n);
    if (!lend_initializers || it == outer.initializer_owner.end() || local.count(n)) continue;
    l.copies[n] = it->second->initializers.at(n);
    body.initializers[n] = l.copies[n];
  }
  for (const auto& n : all_names) {
    if (local.count(n) || l.copies.count(n)) continue;
    auto t = outer.types.find(n);
    body.inputs.push_back({n, t == outer.types.end() ? ValueType{} : t->second});
    l.extra_inputs.insert(n);
  }
  return l;
}

Status give_back(Graph& body, const Lent& l, const std::string& path) {
  std::vector<ValueInfo> inputs;
  for (auto& v : body.inputs)
    if (!l.extra_inputs.count(v.name)) inputs.push_back(std::move(v));
  body.inputs = std::move(inputs);
  for (const auto& [n, t] : l.copies) {
    body.value_types.erase(n);
    auto it = body.initializers.find(n);
    if (it == body.initializers.end()) continue;  // no longer read here
    if (it->second.raw() != t.raw() || it->second.dtype() != t.dtype() || it->second.shape() != t.shape())
      return internal_error("body " + path + ": a rewrite changed outer initializer '" + n + "' in place");
    body.initializers.erase(it);
  }
  for (const auto& n : l.extra_inputs) body.value_types.erase(n);
  return Status::ok();
}

bool graph_reads(const Graph& g, const std::string& name) {
  for (const auto& o : g.outputs)
    if (o.name == name) return true;
  for (const Node& node : g.nodes) {
    for (const auto& in : node.inputs)
      if (in == name) return true;
    if (!node.attributes.empty() && node_implicit_inputs(node).count(name)) return true;
  }
  return false;
}

class BodyWalk {
 public:
  BodyWalk(Model& model, const BodyRewriteOptions& options, const BodyRewrite& rewrite)
      : model_(model), options_(options), rewrite_(rewrite) {
    collect_names(model.graph, names_);
  }

  Status graph(Graph& g, std::vector<Graph*> chain, const std::string& prefix) {
    chain.push_back(&g);
    for (Node& node : g.nodes) {
      const std::string label = prefix + (node.name.empty() && !node.outputs.empty() ? node.outputs[0] : node.name);
      for (auto& [key, a] : node.attributes) {
        if (a.g) EW_RETURN_IF_ERROR(body(a.g, chain, label + "/" + key));
        for (size_t k = 0; k < a.graphs.size(); ++k)
          if (a.graphs[k]) EW_RETURN_IF_ERROR(body(a.graphs[k], chain, label + "/" + key + "[" + std::to_string(k) + "]"));
      }
    }
    return Status::ok();
  }

  // Outer initializers lent to some body that nothing reads any more.
  void drop_unread_lent() {
    for (const auto& [g, name] : lent_from_)
      if (g->initializers.count(name) && !graph_reads(*g, name)) g->initializers.erase(name);
  }

 private:
  Status body(std::shared_ptr<Graph>& slot, const std::vector<Graph*>& chain, const std::string& path) {
    Model scratch;
    scratch.opsets = model_.opsets;
    scratch.ir_version = model_.ir_version;
    scratch.graph = *slot;
    Node probe;
    probe.attributes["body"] = Attribute::make_graph(slot);
    const OuterScope outer = outer_scope(chain);
    const Lent lent = lend(scratch.graph, outer, node_implicit_inputs(probe), names_, options_.lend_outer_initializers);
    for (const auto& [n, t] : lent.copies) lent_from_.insert({outer.initializer_owner.at(n), n});
    EW_RETURN_IF_ERROR(rewrite_(scratch, path).with_context("body " + path + ": "));
    EW_RETURN_IF_ERROR(give_back(scratch.graph, lent, path));
    for (const auto& o : scratch.opsets)
      if (model_.opset(o.domain) == 0) model_.opsets.push_back(o);
    slot = std::make_shared<Graph>(std::move(scratch.graph));
    collect_names(*slot, names_);
    return graph(*slot, chain, path + "/");
  }

  Model& model_;
  const BodyRewriteOptions& options_;
  const BodyRewrite& rewrite_;
  std::set<std::string> names_;  // every name in the model, grown as bodies add names
  std::set<std::pair<Graph*, std::string>> lent_from_;
};

}  // namespace

Status rewrite_bodies(Model& model, const BodyRewriteOptions& options, const BodyRewrite& rewrite) {
  BodyWalk walk(model, options, rewrite);
  EW_RETURN_IF_ERROR(walk.graph(model.graph, {}, ""));
  walk.drop_unread_lent();
  return Status::ok();
}

std::string scoped_name(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "/" + name;
}

}  // namespace ew
