#include "passes/opset/opset_adapter.h"

namespace ew::opset {

namespace {

void collect_names(const Graph& g, std::set<std::string>& used) {
  used.insert(g.name);
  for (const auto& v : g.inputs) used.insert(v.name);
  for (const auto& v : g.outputs) used.insert(v.name);
  for (const auto& [n, t] : g.initializers) used.insert(n);
  for (const auto& [n, t] : g.value_types) used.insert(n);
  for (const auto& node : g.nodes) {
    used.insert(node.name);
    used.insert(node.inputs.begin(), node.inputs.end());
    used.insert(node.outputs.begin(), node.outputs.end());
    for (const auto& [k, a] : node.attributes) {
      if (a.g) collect_names(*a.g, used);
      for (const auto& sg : a.graphs) if (sg) collect_names(*sg, used);
    }
  }
}

// The value of a Constant node's attribute, as a tensor.
Result<Tensor> constant_node_value(const Node& n) {
  if (const Tensor* t = n.attr_tensor("value")) return *t;
  if (const Attribute* a = n.attr("value_float"); a && a->kind == Attribute::Kind::kFloat) return Tensor::scalar<float>(a->f);
  if (const Attribute* a = n.attr("value_int"); a && a->kind == Attribute::Kind::kInt) return Tensor::scalar<int64_t>(a->i);
  if (const Attribute* a = n.attr("value_floats"); a && a->kind == Attribute::Kind::kFloats) return float_vector(a->floats);
  if (const Attribute* a = n.attr("value_ints"); a && a->kind == Attribute::Kind::kInts) return int64_vector(a->ints);
  return unsupported("Constant without a numeric value");
}

}  // namespace

NameTable::NameTable(const Model& model) { collect_names(model.graph, used_); }

std::string NameTable::fresh(const std::string& hint) {
  std::string base = hint.empty() ? "v" : hint;
  if (used_.insert(base).second) return base;
  for (int k = 1;; ++k) {
    std::string n = base + "_" + std::to_string(k);
    if (used_.insert(n).second) return n;
  }
}

AdapterContext::AdapterContext(Model& m, Graph& g, std::vector<Graph*> outer, Node& n, int64_t from, int64_t to,
                               ConversionState& state)
    : model(m), graph(g), node(n), outer_(std::move(outer)), from_(from), to_(to), state_(state) {}

const Tensor* AdapterContext::constant(const std::string& name) const {
  if (name.empty()) return nullptr;
  auto cached = constant_nodes_.find(name);
  if (cached != constant_nodes_.end()) return &cached->second;
  std::vector<const Graph*> scopes{&graph};
  for (auto it = outer_.rbegin(); it != outer_.rend(); ++it) scopes.push_back(*it);
  for (const Graph* g : scopes) {
    if (const Tensor* t = g->initializer(name)) return t;
    for (const Node& n : g->nodes) {
      if (n.outputs.empty() || n.outputs[0] != name) continue;
      if (n.op_type != "Constant" || !n.domain.empty()) return nullptr;
      auto v = constant_node_value(n);
      if (!v.is_ok()) return nullptr;
      return &(constant_nodes_[name] = std::move(v).value());
    }
  }
  return nullptr;
}

Result<const Tensor*> AdapterContext::constant_input(int i, const std::string& what) const {
  if (!node.has_input(i)) return static_cast<const Tensor*>(nullptr);
  const Tensor* t = constant(node.inputs[i]);
  if (!t)
    return fail("its " + what + " ('" + node.inputs[i] + "') is computed at run time, but opset " +
                std::to_string(to_) + " needs it as a constant attribute");
  return t;
}

const ValueType* AdapterContext::type(const std::string& name) const {
  if (const Tensor* t = constant(name)) return &(constant_types_[name] = ValueType::of(t->dtype(), t->shape()));
  if (const ValueType* t = graph.find_type(name)) return t;
  for (auto it = outer_.rbegin(); it != outer_.rend(); ++it)
    if (const ValueType* t = (*it)->find_type(name)) return t;
  return nullptr;
}

int64_t AdapterContext::rank(const std::string& name) const {
  if (const Tensor* t = constant(name)) return t->rank();
  const ValueType* t = type(name);
  return t && t->has_shape ? static_cast<int64_t>(t->dims.size()) : -1;
}

DType AdapterContext::dtype(const std::string& name) const {
  if (const Tensor* t = constant(name)) return t->dtype();
  const ValueType* t = type(name);
  return t ? t->dtype : DType::kUndefined;
}

std::string AdapterContext::add_constant(const std::string& hint, Tensor value) {
  std::string name = fresh(hint);
  graph.initializers[name] = std::move(value);
  return name;
}

Node AdapterContext::make_node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                               const std::map<std::string, Attribute>& attrs) {
  Node n;
  n.op_type = op;
  n.name = fresh(node_id() + "_" + op);
  n.inputs = inputs;
  n.outputs = {output};
  n.attributes = attrs;
  return n;
}

std::string AdapterContext::add_before(const std::string& op, const std::vector<std::string>& inputs,
                                       const std::map<std::string, Attribute>& attrs) {
  std::string out = fresh(node_id() + "_" + op + "_out");
  before_.push_back(make_node(op, inputs, out, attrs));
  return out;
}

std::string AdapterContext::add_after(const std::string& op, const std::vector<std::string>& inputs,
                                      const std::map<std::string, Attribute>& attrs) {
  std::string out = fresh(node_id() + "_" + op + "_out");
  after_.push_back(make_node(op, inputs, out, attrs));
  return out;
}

void AdapterContext::add_after_into(const std::string& op, const std::vector<std::string>& inputs,
                                    const std::string& output, const std::map<std::string, Attribute>& attrs) {
  after_.push_back(make_node(op, inputs, output, attrs));
}

std::string AdapterContext::detach_output(int i) {
  std::string fresh_out = fresh(node.outputs[i] + "_raw");
  node.outputs[i] = fresh_out;
  return fresh_out;
}

void AdapterContext::erase_input(int i) {
  if (i >= node.num_inputs()) return;
  release(node.inputs[i]);
  node.inputs.erase(node.inputs.begin() + i);
}

void AdapterContext::set_input(int i, const std::string& value) {
  if (node.num_inputs() <= i) node.inputs.resize(static_cast<size_t>(i) + 1);
  node.inputs[i] = value;
}

std::string AdapterContext::node_id() const {
  if (!node.name.empty()) return node.name;
  return node.outputs.empty() || node.outputs[0].empty() ? std::string("node") : node.outputs[0];
}

Status AdapterContext::fail(const std::string& message) const {
  return unsupported("node " + node.label() + ", converting opset " + std::to_string(from_) + " -> " +
                     std::to_string(to_) + ": " + message);
}

Result<Tensor> scalar_tensor(DType dtype, double value, bool as_vector) {
  EW_ASSIGN_OR_RETURN(Tensor t, Tensor::create(dtype, as_vector ? Shape{1} : Shape{}));
  bool known = visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    t.data<T>()[0] = static_cast<T>(static_cast<compute_t<T>>(value));
  });
  if (!known) return unsupported(std::string("no scalar of type ") + dtype_name(dtype));
  return t;
}

Tensor int64_vector(const std::vector<int64_t>& values) {
  auto t = Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values);
  return t.is_ok() ? std::move(t).value() : Tensor{};
}

Tensor float_vector(const std::vector<float>& values) {
  auto t = Tensor::from_vector<float>({static_cast<int64_t>(values.size())}, values);
  return t.is_ok() ? std::move(t).value() : Tensor{};
}

std::vector<float> float_values(const Tensor& t) {
  std::vector<float> v;
  for (int64_t i = 0; i < t.numel(); ++i) v.push_back(static_cast<float>(t.get_double(i)));
  return v;
}

}  // namespace ew::opset
