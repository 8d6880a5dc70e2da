#include "device/kernel_features.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "device/op_cost.h"
#include "runtime/profiler.h"

namespace ew {
namespace {

double value_bytes(const Graph& g, const std::string& name, bool* exact) {
  if (name.empty()) return 0;
  if (const Tensor* init = g.initializer(name)) return static_cast<double>(init->nbytes());
  const ValueType* t = g.find_type(name);
  if (!t || !t->fully_known() || t->dtype == DType::kUndefined) {
    *exact = false;
    return 0;
  }
  double n = 1;
  for (const Dim& d : t->dims) n *= static_cast<double>(d.value);
  return n * static_cast<double>(dtype_size(t->dtype));
}

int rank_of(const Graph& g, const std::string& name) {
  const ValueType* t = name.empty() ? nullptr : g.find_type(name);
  return t && t->has_shape ? static_cast<int>(t->dims.size()) : -1;
}

double elements(const Graph& g, const std::string& name) {
  const ValueType* t = name.empty() ? nullptr : g.find_type(name);
  if (!t || !t->fully_known()) return 0;
  double n = 1;
  for (const Dim& d : t->dims) n *= static_cast<double>(d.value);
  return n;
}

std::vector<int64_t> dims_of(const Graph& g, const Node& n, int input) {
  if (input >= n.num_inputs() || n.inputs[input].empty()) return {};
  if (const Tensor* t = g.initializer(n.inputs[input])) return t->shape();
  const ValueType* vt = g.find_type(n.inputs[input]);
  if (!vt || !vt->fully_known()) return {};
  std::vector<int64_t> d;
  for (const Dim& x : vt->dims) d.push_back(x.value);
  return d;
}

bool is_conv(const std::string& op) {
  return op == "Conv" || op == "FusedConv" || op == "QLinearConv" || op == "ConvInteger";
}

bool is_dot(const std::string& op) {
  return op == "Gemm" || op == "FusedGemm" || op == "QGemm" || op == "MatMul" || op == "FusedMatMul" ||
         op == "QLinearMatMul" || op == "MatMulInteger" || op == "DynamicQuantizeMatMul" || op == "MatMulNBits";
}

std::string conv_class(const Graph& g, const Node& n) {
  auto w = dims_of(g, n, n.op_type == "QLinearConv" ? 3 : 1);
  if (w.size() < 3) return "Conv.kxk";
  int64_t group = n.attr_int("group", 1);
  if (group > 1 && w[1] == 1) return "Conv.dw";
  bool all1 = true, all3 = true;
  for (size_t i = 2; i < w.size(); ++i) all1 &= w[i] == 1, all3 &= w[i] == 3;
  return all1 ? "Conv.1x1" : all3 ? "Conv.3x3" : "Conv.kxk";
}

}  // namespace

std::string op_class(const Graph& graph, const Node& node) {
  if (is_conv(node.op_type)) return conv_class(graph, node);
  if (is_dot(node.op_type)) {
    int b = node.op_type == "QLinearMatMul" ? 3 : 1;
    return b < node.num_inputs() && graph.is_initializer(node.inputs[b]) ? "Gemm" : "MatMul";
  }
  return node.op_type;
}

std::string KernelStep::kernel_type() const {
  if (nodes.size() != 1) return backend + ":partition";
  return backend + ":" + nodes[0].op_class + "/" + precision_name(nodes[0].precision);
}

std::vector<KernelStep> kernel_steps(const ExecutionPlan& plan) {
  const Graph& g = plan.model().graph;
  const std::vector<OpCost> costs = op_costs(plan.model());
  std::map<const Node*, size_t> index;
  for (size_t i = 0; i < g.nodes.size(); ++i) index[&g.nodes[i]] = i;
  double weights = 0;
  for (const auto& [name, t] : g.initializers) weights += static_cast<double>(t.nbytes());
  std::vector<KernelStep> out;
  for (const PlanStepInfo& info : plan.step_infos()) {
    KernelStep k;
    k.model_weight_bytes = weights;
    auto first = index.find(info.node);
    k.name = !info.node->name.empty() ? info.node->name
                                      : info.node->op_type + "#" + std::to_string(first != index.end() ? first->second : 0);
    k.op_pattern = covered_op_types(info.nodes);
    k.backend = info.backend;
    double heaviest = -1;
    for (const Node* n : info.nodes) {
      auto it = index.find(n);
      if (it == index.end()) continue;
      const OpCost& c = costs[it->second];
      NodeFeatures f{op_class(g, *n), c.precision, static_cast<double>(c.macs), static_cast<double>(c.flops),
                     static_cast<double>(c.bytes_read + c.bytes_written),
                     n->outputs.empty() ? 0.0 : elements(g, n->outputs[0]), static_cast<double>(c.param_bytes)};
      k.exact &= c.exact;
      k.macs += f.macs;
      k.flops += f.flops;
      if (f.flops > heaviest) heaviest = f.flops, k.precision = f.precision;
      k.nodes.push_back(std::move(f));
    }
    for (const std::string& name : info.inputs) {
      double b = value_bytes(g, name, &k.exact);
      k.bytes += b;
      if (g.is_initializer(name)) k.param_bytes += b;
      else if (rank_of(g, name) == 4) k.layout_bytes += b;
    }
    for (const std::string& name : info.outputs) {
      double b = value_bytes(g, name, &k.exact);
      k.bytes += b;
      if (rank_of(g, name) == 4) k.layout_bytes += b;
    }
    out.push_back(std::move(k));
  }
  return out;
}

nlohmann::json to_json(const KernelStep& s) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const NodeFeatures& n : s.nodes)
    nodes.push_back({{"class", n.op_class}, {"precision", precision_name(n.precision)}, {"macs", n.macs},
                     {"flops", n.flops}, {"bytes", n.bytes}, {"out_elems", n.out_elems}, {"param_bytes", n.param_bytes}});
  return {{"name", s.name}, {"op_pattern", s.op_pattern}, {"backend", s.backend},
          {"precision", precision_name(s.precision)}, {"macs", s.macs}, {"flops", s.flops}, {"bytes", s.bytes},
          {"param_bytes", s.param_bytes}, {"layout_bytes", s.layout_bytes},
          {"model_weight_bytes", s.model_weight_bytes}, {"exact", s.exact}, {"nodes", std::move(nodes)}};
}

namespace {

Result<double> number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return invalid_argument(std::string("'") + key + "' must be a number");
  return it->get<double>();
}

Result<std::string> text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return invalid_argument(std::string("'") + key + "' must be a string");
  return it->get<std::string>();
}

}  // namespace

Result<KernelStep> kernel_step_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return invalid_argument("a step must be a JSON object");
  KernelStep s;
  EW_ASSIGN_OR_RETURN(s.name, text(j, "name"));
  EW_ASSIGN_OR_RETURN(s.op_pattern, text(j, "op_pattern"));
  EW_ASSIGN_OR_RETURN(s.backend, text(j, "backend"));
  EW_ASSIGN_OR_RETURN(std::string prec, text(j, "precision"));
  EW_ASSIGN_OR_RETURN(s.precision, parse_precision(prec));
  EW_ASSIGN_OR_RETURN(s.macs, number(j, "macs"));
  EW_ASSIGN_OR_RETURN(s.flops, number(j, "flops"));
  EW_ASSIGN_OR_RETURN(s.bytes, number(j, "bytes"));
  EW_ASSIGN_OR_RETURN(s.param_bytes, number(j, "param_bytes"));
  s.exact = j.value("exact", true);
  s.layout_bytes = j.value("layout_bytes", 0.0);
  s.model_weight_bytes = j.value("model_weight_bytes", 0.0);
  auto nodes = j.find("nodes");
  if (nodes == j.end() || !nodes->is_array()) return invalid_argument("'nodes' must be an array");
  for (const auto& n : *nodes) {
    if (!n.is_object()) return invalid_argument("a node must be a JSON object");
    NodeFeatures f;
    EW_ASSIGN_OR_RETURN(f.op_class, text(n, "class"));
    EW_ASSIGN_OR_RETURN(std::string p, text(n, "precision"));
    EW_ASSIGN_OR_RETURN(f.precision, parse_precision(p));
    EW_ASSIGN_OR_RETURN(f.macs, number(n, "macs"));
    EW_ASSIGN_OR_RETURN(f.flops, number(n, "flops"));
    EW_ASSIGN_OR_RETURN(f.bytes, number(n, "bytes"));
    EW_ASSIGN_OR_RETURN(f.out_elems, number(n, "out_elems"));
    f.param_bytes = n.value("param_bytes", 0.0);
    s.nodes.push_back(std::move(f));
  }
  return s;
}

}  // namespace ew
