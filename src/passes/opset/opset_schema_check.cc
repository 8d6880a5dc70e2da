#include "passes/opset/opset_schema_check.h"

#include <onnx/defs/schema.h>

#include <cmath>

namespace ew::opset {

namespace {

constexpr int64_t kKnownOpset = 17;  // the newest opset libonnx 1.12 defines

const onnx::OpSchema* schema_at(const std::string& op, int64_t opset) {
  return onnx::OpSchemaRegistry::Schema(op, static_cast<int>(opset), "");
}

// "tensor(float)" etc., as ONNX type constraints spell them.
std::string onnx_type_string(DType t) {
  switch (t) {
    case DType::kFloat32: return "tensor(float)";
    case DType::kFloat64: return "tensor(double)";
    case DType::kFloat16: return "tensor(float16)";
    case DType::kBFloat16: return "tensor(bfloat16)";
    case DType::kBool: return "tensor(bool)";
    default: return std::string("tensor(") + dtype_name(t) + ")";
  }
}

bool same_as_default(const Attribute& a, const onnx::AttributeProto& d) {
  using K = Attribute::Kind;
  switch (a.kind) {
    case K::kInt: return d.type() == onnx::AttributeProto::INT && d.i() == a.i;
    case K::kFloat: return d.type() == onnx::AttributeProto::FLOAT && std::fabs(d.f() - a.f) <= 1e-7f * std::fabs(d.f());
    case K::kString: return d.type() == onnx::AttributeProto::STRING && d.s() == a.s;
    case K::kInts:
      if (d.type() != onnx::AttributeProto::INTS || d.ints_size() != static_cast<int>(a.ints.size())) return false;
      for (int i = 0; i < d.ints_size(); ++i) if (d.ints(i) != a.ints[i]) return false;
      return true;
    default: return false;
  }
}

// The default of attribute `name` where the op had it, preferring opset `near`.
const onnx::AttributeProto* old_default(const std::string& op, const std::string& name, int64_t near) {
  std::vector<int64_t> order{near};
  for (int64_t v = kKnownOpset; v >= 1; --v) order.push_back(v);
  for (int64_t v : order) {
    const onnx::OpSchema* s = schema_at(op, v);
    if (!s) continue;
    auto it = s->attributes().find(name);
    if (it != s->attributes().end() && it->second.default_value.type() != onnx::AttributeProto::UNDEFINED)
      return &it->second.default_value;
  }
  return nullptr;
}

// The first opset whose schema of `op` has attribute `name` (0: none).
int64_t attribute_since(const std::string& op, const std::string& name) {
  for (int64_t v = 1; v <= kKnownOpset; ++v)
    if (const onnx::OpSchema* s = schema_at(op, v); s && s->attributes().count(name)) return s->since_version();
  return 0;
}

struct Checker {
  int64_t source, target;
  std::map<std::string, int>* dropped;

  Status fail(const Node& n, const std::string& msg) const {
    return unsupported("node " + n.label() + " cannot be expressed at opset " + std::to_string(target) + ": " + msg);
  }

  Status check_exists(const Node& n, const onnx::OpSchema* s) const {
    if (!s) {
      int64_t first = first_opset_of(n.op_type);
      if (first == 0) return fail(n, n.op_type + " is not an ONNX operator of opsets 1-17");
      return fail(n, n.op_type + " needs opset " + std::to_string(first) + " or later");
    }
    if (s->Deprecated()) return fail(n, n.op_type + " is deprecated from opset " + std::to_string(s->since_version()));
    return Status::ok();
  }

  Status check_attributes(Node& n, const onnx::OpSchema& s) const {
    for (auto it = n.attributes.begin(); it != n.attributes.end();) {
      if (s.attributes().count(it->first)) { ++it; continue; }
      const onnx::AttributeProto* d = old_default(n.op_type, it->first, source);
      if (!d || !same_as_default(it->second, *d)) {
        int64_t since = attribute_since(n.op_type, it->first);
        std::string where = since == 0 ? "no opset defines it"
                            : since > target ? "it needs opset " + std::to_string(since)
                                             : "opset " + std::to_string(s.since_version()) + " removed it";
        return fail(n, "attribute '" + it->first + "' has a non-default value; " + where);
      }
      if (dropped) ++(*dropped)[n.op_type + "." + it->first];
      it = n.attributes.erase(it);
    }
    for (const auto& [name, a] : s.attributes())
      if (a.required && !n.attributes.count(name)) return fail(n, "required attribute '" + name + "' is missing");
    return Status::ok();
  }

  Status check_arity(Node& n, const onnx::OpSchema& s) const {
    while (!n.inputs.empty() && n.inputs.back().empty()) n.inputs.pop_back();
    while (!n.outputs.empty() && n.outputs.back().empty()) n.outputs.pop_back();
    const int ni = n.num_inputs(), no = static_cast<int>(n.outputs.size());
    if (ni < s.min_input() || ni > s.max_input())
      return fail(n, std::to_string(ni) + " inputs, but it takes " + std::to_string(s.min_input()) + " to " +
                         std::to_string(s.max_input()));
    if (no < s.min_output() || no > s.max_output())
      return fail(n, std::to_string(no) + " outputs, but it has " + std::to_string(s.min_output()) + " to " +
                         std::to_string(s.max_output()));
    const auto& formals = s.inputs();
    for (int i = 0; i < ni && i < static_cast<int>(formals.size()); ++i)
      if (n.inputs[i].empty() && formals[i].GetOption() == onnx::OpSchema::Single)
        return fail(n, "required input '" + formals[i].GetName() + "' is absent");
    return Status::ok();
  }

  Status check_types(const Node& n, const onnx::OpSchema& s, const std::vector<const Graph*>& scopes) const {
    const auto& formals = s.inputs();
    if (formals.empty()) return Status::ok();
    for (int i = 0; i < n.num_inputs(); ++i) {
      if (n.inputs[i].empty()) continue;
      DType t = DType::kUndefined;
      for (auto g = scopes.rbegin(); g != scopes.rend() && t == DType::kUndefined; ++g) {
        if (const Tensor* c = (*g)->initializer(n.inputs[i])) t = c->dtype();
        else if (const ValueType* vt = (*g)->find_type(n.inputs[i])) t = vt->dtype;
      }
      if (t == DType::kUndefined) continue;
      const auto& formal = formals[std::min<size_t>(static_cast<size_t>(i), formals.size() - 1)];
      const std::string want = onnx_type_string(t);
      bool ok = false;
      for (const auto* allowed : formal.GetTypes()) ok = ok || *allowed == want;
      if (!ok)
        return fail(n, "input '" + n.inputs[i] + "' is " + dtype_name(t) + ", which " + n.op_type + "-" +
                           std::to_string(s.since_version()) + " does not accept");
    }
    return Status::ok();
  }

  Status check_graph(Graph& g, std::vector<const Graph*> scopes) const {
    scopes.push_back(&g);
    for (Node& n : g.nodes) {
      for (auto& [k, a] : n.attributes) {
        if (a.g) EW_RETURN_IF_ERROR(check_graph(*a.g, scopes));
        for (auto& sg : a.graphs) if (sg) EW_RETURN_IF_ERROR(check_graph(*sg, scopes));
      }
      if (!n.domain.empty() && n.domain != "ai.onnx") continue;
      const onnx::OpSchema* s = schema_at(n.op_type, target);
      EW_RETURN_IF_ERROR(check_exists(n, s));
      EW_RETURN_IF_ERROR(check_attributes(n, *s));
      EW_RETURN_IF_ERROR(check_arity(n, *s));
      EW_RETURN_IF_ERROR(check_types(n, *s, scopes));
    }
    return Status::ok();
  }
};

}  // namespace

int64_t first_opset_of(const std::string& op) {
  for (int64_t v = 1; v <= kKnownOpset; ++v)
    if (const onnx::OpSchema* s = schema_at(op, v)) return s->since_version();
  return 0;
}

Status check_nodes_for_opset(Model& model, int64_t source, int64_t target, std::map<std::string, int>* dropped) {
  Checker c{source, target, dropped};
  return c.check_graph(model.graph, {});
}

}  // namespace ew::opset
