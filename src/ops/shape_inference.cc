#include "ops/shape_inference.h"

#include <map>

#include "ops/op.h"

namespace ew {

namespace {

int64_t node_opset(const Model& model, const Node& node) {
  int64_t v = model.opset(node.domain);
  return v == 0 && !node.domain.empty() ? 1 : v;
}

// A merged view of declared and inferred types for one graph.
Status infer_graph(const Model& model, Graph& g, std::map<std::string, ValueType> types,
                   std::map<std::string, Tensor> values) {
  for (const auto& v : g.inputs) types[v.name] = v.type;
  for (const auto& [name, t] : g.initializers) {
    types[name] = ValueType::of(t.dtype(), t.shape());
    values[name] = t;
  }
  for (const auto& [name, vt] : g.value_types) types.emplace(name, vt);
  for (const Node& node : g.nodes) {
    const OpDef* op = OpRegistry::find(node.domain, node.op_type, node_opset(model, node));
    if (!op || !op->infer) continue;
    std::vector<const ValueType*> in_types;
    std::vector<const Tensor*> in_values;
    static const ValueType kUnknown{};
    for (const auto& in : node.inputs) {
      if (in.empty()) { in_types.push_back(nullptr); in_values.push_back(nullptr); continue; }
      auto t = types.find(in);
      in_types.push_back(t == types.end() ? &kUnknown : &t->second);
      auto v = values.find(in);
      in_values.push_back(v == values.end() ? nullptr : &v->second);
    }
    InferContext ctx(node, node_opset(model, node), in_types, in_values);
    // Inputs of unknown type make inference partial, not wrong: skip such failures.
    bool all_typed = true;
    for (const auto* t : in_types) if (t && t->dtype == DType::kUndefined) all_typed = false;
    Status s = op->infer(ctx);
    if (!s.is_ok()) {
      if (all_typed) return s;
      continue;
    }
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      if (node.outputs[i].empty()) continue;
      const ValueType& vt = ctx.output_types()[i];
      if (vt.dtype != DType::kUndefined) types[node.outputs[i]] = vt;
      if (ctx.output_values()[i].defined()) values[node.outputs[i]] = ctx.output_values()[i];
    }
  }
  for (Node& node : g.nodes)
    for (auto& [k, a] : node.attributes)
      if (a.g) EW_RETURN_IF_ERROR(infer_graph(model, *a.g, types, values));
  for (const Node& node : g.nodes)
    for (const auto& o : node.outputs)
      if (!o.empty() && types.count(o)) g.value_types[o] = types[o];
  for (auto& out : g.outputs) {
    auto t = types.find(out.name);
    if (t == types.end()) continue;
    if (out.type.dtype == DType::kUndefined) out.type.dtype = t->second.dtype;
    if (!out.type.has_shape) out.type = t->second;
    // Declared symbolic or unknown dims take the inferred value once it is concrete (inputs bound).
    const ValueType& inferred = t->second;
    if (inferred.has_shape && out.type.has_shape) {
      bool conflict = inferred.dims.size() != out.type.dims.size();
      for (size_t d = 0; !conflict && d < inferred.dims.size(); ++d)
        conflict = inferred.dims[d].known() && out.type.dims[d].known() && inferred.dims[d].value != out.type.dims[d].value;
      if (conflict)
        return invalid_model("graph output '" + out.name + "' is declared " + out.type.to_string() + " but its node computes " +
                             inferred.to_string());
    }
    if (inferred.has_shape && inferred.dims.size() == out.type.dims.size())
      for (size_t d = 0; d < out.type.dims.size(); ++d)
        if (!out.type.dims[d].known() && inferred.dims[d].known()) out.type.dims[d] = inferred.dims[d];
  }
  for (const auto& out : g.outputs) g.value_types.erase(out.name);
  return Status::ok();
}

}  // namespace

Status infer_shapes(Model& model) { return infer_graph(model, model.graph, {}, {}); }

}  // namespace ew

namespace ew {

std::map<std::string, int64_t> bind_symbolic_dims(Model& model, const std::map<std::string, int64_t>& dims,
                                                  int64_t fallback) {
  std::map<std::string, int64_t> used;
  for (auto& in : model.graph.inputs) {
    for (Dim& d : in.type.dims) {
      if (d.known()) continue;
      auto it = dims.find(d.symbol);
      int64_t v = it != dims.end() ? it->second : fallback;
      if (v < 0) continue;
      used[d.symbol.empty() ? "?" : d.symbol] = v;
      d = Dim(v);
    }
  }
  return used;
}

}  // namespace ew
