// edgewise optimize MODEL -o OUT.onnx: runs the graph optimizer at a level and
// saves the result as ONNX (ONNX Runtime loads it: fused ops are ones it knows).
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "passes/opset/opset_converter.h"
#include "passes/pass_manager.h"
#include "ops/shape_inference.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, output, level = "O2";
  std::vector<std::string> dims;
  int64_t target_opset = 0;  // 0: keep the model's opset
  bool json = false;
};

Result<int> parse_level(const std::string& s) {
  if (s == "O0" || s == "0") return 0;
  if (s == "O1" || s == "1") return 1;
  if (s == "O2" || s == "2") return 2;
  return invalid_argument("--level must be O0, O1 or O2, got '" + s + "'");
}

// Ops whose count changed, as "op: before -> after".
std::map<std::string, std::pair<int, int>> histogram_change(const OptimizeReport& r) {
  std::map<std::string, std::pair<int, int>> d;
  for (const auto& [op, n] : r.ops_before) d[op].first = n;
  for (const auto& [op, n] : r.ops_after) d[op].second = n;
  for (auto it = d.begin(); it != d.end();) it = it->second.first == it->second.second ? d.erase(it) : std::next(it);
  return d;
}

nlohmann::json opset_json(const OpsetReport& r) {
  nlohmann::json j;
  j["from"] = r.from;
  j["to"] = r.to;
  j["ir_version_before"] = r.ir_version_before;
  j["ir_version_after"] = r.ir_version_after;
  j["nodes_before"] = r.nodes_before;
  j["nodes_after"] = r.nodes_after;
  j["checked"] = r.checked;
  j["rewrites"] = nlohmann::json::array();
  for (const auto& w : r.rewrites)
    j["rewrites"].push_back({{"node", w.node}, {"op", w.op_type}, {"from", w.from}, {"to", w.to}, {"change", w.change}});
  j["per_op"] = nlohmann::json::object();
  for (const auto& [op, changes] : r.per_op())
    for (const auto& [change, n] : changes) j["per_op"][op].push_back({{"change", change}, {"nodes", n}});
  j["version_only"] = r.version_only;
  j["dropped_default_attributes"] = r.dropped_default_attributes;
  return j;
}

void print_opset_report(const OpsetReport& r) {
  std::cout << "opset " << r.from << " -> " << r.to << " (IR version " << r.ir_version_before << " -> "
            << r.ir_version_after << "), nodes " << r.nodes_before << " -> " << r.nodes_after
            << ", checked by shape inference and the ONNX checker\n";
  for (const auto& [op, changes] : r.per_op())
    for (const auto& [change, n] : changes)
      std::cout << "  " << std::left << std::setw(22) << op << n << " x " << change << "\n";
  if (!r.version_only.empty()) {
    std::cout << "  only the import changed:";
    for (const auto& [op, n] : r.version_only) std::cout << " " << op << " (" << n << ")";
    std::cout << "\n";
  }
  for (const auto& [attr, n] : r.dropped_default_attributes)
    std::cout << "  dropped default attribute " << attr << " (" << n << ")\n";
  std::cout << "\n";
}

nlohmann::json report_json(const OptimizeReport& r, const std::map<std::string, int64_t>& bound) {
  nlohmann::json j;
  j["level"] = r.level;
  j["iterations"] = r.iterations;
  for (const auto& p : r.passes) j["passes"].push_back({{"pass", p.pass}, {"rewrites", p.rewrites}});
  j["nodes_before"] = r.nodes_before;
  j["nodes_after"] = r.nodes_after;
  j["ops_before"] = r.ops_before;
  j["ops_after"] = r.ops_after;
  j["bound_dims"] = bound;
  return j;
}

void print_report(const OptimizeReport& r, const std::string& out) {
  std::cout << "level O" << r.level << ", " << r.iterations << " iteration(s)\n\n";
  std::cout << std::left << std::setw(26) << "pass" << "rewrites\n";
  for (const auto& p : r.passes) std::cout << std::left << std::setw(26) << p.pass << p.rewrites << "\n";
  std::cout << "\nnodes: " << r.nodes_before << " -> " << r.nodes_after << "\n";
  auto change = histogram_change(r);
  if (!change.empty()) std::cout << "ops changed:\n";
  for (const auto& [op, c] : change)
    std::cout << "  " << std::left << std::setw(40) << op << c.first << " -> " << c.second << "\n";
  std::cout << "saved " << out << "\n";
}

int run(const Args& a) {
  auto level = parse_level(a.level);
  if (!level.is_ok()) return report_error(level.status());
  auto dims = parse_dims(a.dims);
  if (!dims.is_ok()) return report_error(dims.status());
  auto model = load_onnx(a.model);
  if (!model.is_ok()) return report_error(model.status());
  auto bound = bind_symbolic_dims(*model, *dims, -1);
  OpsetReport opset_report;
  if (a.target_opset != 0) {
    Status c = convert_opset(*model, a.target_opset, &opset_report);
    if (!c.is_ok()) return report_error(c);
  }
  OptimizeReport report;
  Status s = optimize_model(*model, *level, &report);
  if (!s.is_ok()) return report_error(s);
  s = save_onnx(*model, a.output);
  if (!s.is_ok()) return report_error(s);
  if (a.json) {
    nlohmann::json j = report_json(report, bound);
    if (a.target_opset != 0) j["opset"] = opset_json(opset_report);
    std::cout << j.dump(2) << "\n";
  } else {
    if (a.target_opset != 0) print_opset_report(opset_report);
    print_report(report, a.output);
  }
  return 0;
}

}  // namespace

void add_optimize_command(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("optimize", "Optimize a model's graph (folding, cleanup, fusions) and save it as ONNX");
  cmd->add_option("model", args->model, "ONNX model file")->required();
  cmd->add_option("-o,--output", args->output, "Where to write the optimized .onnx")->required();
  cmd->add_option("--level", args->level,
                  "O0: nothing; O1: constant/shape folding, dead code, Identity/Dropout/no-op Cast removal; "
                  "O2 (default): O1 + fusions (Conv+BN, bias Add, FusedConv/FusedGemm activations, MatMul+Add->Gemm, "
                  "LayerNorm, GELU, QDQ groups -> QLinear ops)");
  cmd->add_option("--dims", args->dims,
                  "Bind symbolic input dims, e.g. N=1,S=128, so Shape-derived subgraphs fold (unbound dims stay symbolic)");
  cmd->add_option("--target-opset", args->target_opset,
                  "Convert the model's ai.onnx opset to N (7-17), up or down, before optimizing: Upsample <-> Resize, "
                  "attributes <-> inputs (Slice, Clip, Pad, Squeeze/Unsqueeze, ReduceSum, Split, TopK, Dropout), "
                  "Softmax axis semantics, LayerNormalization decomposed below 17, ...; the converted model is checked "
                  "by shape inference and the ONNX checker before the optimizer runs (whose fusions may add ops only "
                  "ONNX Runtime knows). With --level O0 only the conversion happens")
      ->check(CLI::Range(kMinConvertibleOpset, kMaxConvertibleOpset));
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->footer(
      "Fused ops are ones ONNX Runtime knows (com.microsoft FusedConv, FusedGemm, Gelu, QLinearAdd, ...),\n"
      "so the output stays loadable by ORT. Examples:\n"
      "  edgewise optimize resnet18.onnx -o resnet18.opt.onnx --level O2 --dims N=1\n"
      "  edgewise optimize old_opset9.onnx -o opset17.onnx --target-opset 17 --level O0   # convert only");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
