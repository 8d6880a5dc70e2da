#include "ir/graph_builder.h"

namespace ew {

GraphBuilder::GraphBuilder(std::string name, int64_t opset) {
  model_.graph.name = std::move(name);
  model_.opsets.push_back({"", opset});
  model_.producer_name = "edgewise";
  model_.ir_version = 8;
}

std::string GraphBuilder::unique(const std::string& hint) {
  std::string base = hint.empty() ? "v" : hint;
  int n = used_[base]++;
  return n == 0 ? base : base + "_" + std::to_string(n);
}

std::string GraphBuilder::input(const std::string& name, DType dtype, std::vector<Dim> dims) {
  std::string n = unique(name);
  model_.graph.inputs.push_back({n, ValueType{dtype, true, std::move(dims)}});
  return n;
}

std::string GraphBuilder::constant(const std::string& hint, Tensor value) {
  std::string n = unique(hint);
  model_.graph.initializers[n] = std::move(value);
  return n;
}

std::string GraphBuilder::node(const std::string& op_type, const std::vector<std::string>& inputs,
                               const std::map<std::string, Attribute>& attributes, const std::string& hint) {
  return node_n(op_type, inputs, 1, attributes, hint)[0];
}

std::vector<std::string> GraphBuilder::node_n(const std::string& op_type, const std::vector<std::string>& inputs,
                                              int num_outputs, const std::map<std::string, Attribute>& attributes,
                                              const std::string& hint, const std::string& domain) {
  Node n;
  n.op_type = op_type;
  n.domain = domain;
  n.name = unique(hint.empty() ? op_type : hint);
  n.inputs = inputs;
  n.attributes = attributes;
  for (int i = 0; i < num_outputs; ++i) n.outputs.push_back(unique(n.name + (num_outputs > 1 ? "_out" + std::to_string(i) : "_out")));
  std::vector<std::string> outs = n.outputs;
  model_.graph.nodes.push_back(std::move(n));
  return outs;
}

void GraphBuilder::output(const std::string& value, const std::string& rename) {
  if (rename.empty() || rename == value) {
    model_.graph.outputs.push_back({value, {}});
    return;
  }
  node("Identity", {value}, {}, rename + "_identity");
  model_.graph.nodes.back().outputs[0] = rename;
  model_.graph.outputs.push_back({rename, {}});
}

void GraphBuilder::import_opset(const std::string& domain, int64_t version) {
  for (auto& o : model_.opsets)
    if (o.domain == domain) { o.version = version; return; }
  model_.opsets.push_back({domain, version});
}

Result<Model> GraphBuilder::build() {
  Model m = model_;
  EW_RETURN_IF_ERROR(m.graph.sort_and_validate());
  return m;
}

}  // namespace ew
