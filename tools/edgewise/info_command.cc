// edgewise info MODEL: inputs, outputs, opsets, op histogram, size and cost.
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_import.h"
#include "runtime/model_stats.h"
#include "ops/shape_inference.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model;
  std::vector<std::string> dims;
  bool json = false;
};

nlohmann::json values_json(const std::vector<ValueInfo>& values) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& v : values) {
    nlohmann::json shape = nlohmann::json::array();
    for (const Dim& d : v.type.dims) shape.push_back(d.known() ? nlohmann::json(d.value) : nlohmann::json(d.to_string()));
    j.push_back({{"name", v.name}, {"dtype", dtype_name(v.type.dtype)}, {"shape", v.type.has_shape ? shape : nullptr}});
  }
  return j;
}

nlohmann::json info_json(const Model& m, const std::vector<ValueInfo>& declared_inputs,
                         const std::vector<ValueInfo>& outputs, const ModelStats& s,
                         const std::map<std::string, int64_t>& bound, const std::string& shape_error) {
  nlohmann::json j;
  j["producer"] = m.producer_name + (m.producer_version.empty() ? "" : " " + m.producer_version);
  j["ir_version"] = m.ir_version;
  for (const auto& o : m.opsets) j["opsets"][o.domain.empty() ? "ai.onnx" : o.domain] = o.version;
  j["inputs"] = values_json(declared_inputs);
  j["outputs"] = values_json(outputs);
  j["nodes"] = s.nodes;
  j["op_histogram"] = s.op_histogram;
  j["parameters"] = s.parameters;
  j["weight_bytes"] = s.weight_bytes;
  j["macs"] = s.macs;
  j["flops"] = s.flops;
  j["cost_exact"] = s.cost_exact;
  j["bound_dims"] = bound;
  j["unsupported_ops"] = s.unsupported_ops;
  if (!shape_error.empty()) j["shape_inference_error"] = shape_error;
  return j;
}

void print_values(const char* title, const std::vector<ValueInfo>& values) {
  std::cout << title << ":\n";
  for (const auto& v : values) std::cout << "  " << v.name << "  " << v.type.to_string() << "\n";
}

void print_info(const Model& m, const std::vector<ValueInfo>& declared_inputs, const std::vector<ValueInfo>& outputs,
                const ModelStats& s,
                const std::map<std::string, int64_t>& bound, const std::string& shape_error) {
  std::cout << "producer: " << (m.producer_name.empty() ? "?" : m.producer_name) << " " << m.producer_version
            << "   ir_version " << m.ir_version << "\nopsets:";
  for (const auto& o : m.opsets) std::cout << " " << (o.domain.empty() ? "ai.onnx" : o.domain) << "=" << o.version;
  std::cout << "\n";
  print_values("inputs", declared_inputs);
  print_values("outputs", outputs);
  std::cout << "parameters: " << human_count(static_cast<double>(s.parameters)) << " ("
            << human_bytes(static_cast<double>(s.weight_bytes)) << ")\n";
  std::string assumed;
  for (const auto& [k, v] : bound) assumed += (assumed.empty() ? "" : ", ") + k + "=" + std::to_string(v);
  std::cout << "MACs: " << human_count(static_cast<double>(s.macs)) << "   FLOPs: " << human_count(static_cast<double>(s.flops))
            << (assumed.empty() ? "" : "   (with " + assumed + ")") << (s.cost_exact ? "" : "   (lower bound: some shapes unknown)") << "\n";
  std::cout << "nodes: " << s.nodes << "\nops:";
  for (const auto& [op, n] : s.op_histogram) std::cout << " " << op << "×" << n;
  std::cout << "\n";
  if (!shape_error.empty()) std::cout << "shape inference: " << shape_error << "\n";
  if (s.unsupported_ops.empty()) {
    std::cout << "unsupported ops: none\n";
  } else {
    std::cout << "unsupported ops:";
    for (const auto& op : s.unsupported_ops) std::cout << " " << op;
    std::cout << "\n";
  }
}

int run(const Args& a) {
  auto dims = parse_dims(a.dims);
  if (!dims.is_ok()) return report_error(dims.status());
  auto model = load_onnx(a.model);
  if (!model.is_ok()) return report_error(model.status());
  std::vector<ValueInfo> declared = model->graph.inputs;
  Model symbolic = *model;  // outputs keep symbolic dims ("N") for display
  (void)infer_shapes(symbolic);
  auto bound = bind_symbolic_dims(*model, *dims, 1);
  Status inferred = infer_shapes(*model);
  std::string shape_error = inferred.is_ok() ? "" : inferred.to_string();
  ModelStats s = compute_model_stats(*model);
  const auto& outputs = symbolic.graph.outputs;
  if (a.json) std::cout << info_json(*model, declared, outputs, s, bound, shape_error).dump(2) << "\n";
  else print_info(*model, declared, outputs, s, bound, shape_error);
  return s.unsupported_ops.empty() ? 0 : 1;
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("info", "Describe a model: inputs, outputs, opsets, ops, parameters, MACs/FLOPs, unsupported ops");
  cmd->add_option("model", args->model, "ONNX model file")->required();
  cmd->add_option("--dims", args->dims, "Bind symbolic dims for the cost estimate, e.g. N=1,S=128 (default 1)");
  cmd->add_flag("--json", args->json, "Print as JSON");
  cmd->footer("Exit code 1 when the model uses operators Edgewise does not implement (they are listed).");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
