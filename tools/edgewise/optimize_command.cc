// edgewise optimize MODEL -o OUT.onnx: runs the graph optimizer at a level and
// saves the result as ONNX (ONNX Runtime loads it: fused ops are ones it knows).
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "ops/shape_inference.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, output, level = "O2";
  std::vector<std::string> dims;
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
  OptimizeReport report;
  Status s = optimize_model(*model, *level, &report);
  if (!s.is_ok()) return report_error(s);
  s = save_onnx(*model, a.output);
  if (!s.is_ok()) return report_error(s);
  if (a.json) std::cout << report_json(report, bound).dump(2) << "\n";
  else print_report(report, a.output);
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
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->footer(
      "Fused ops are ones ONNX Runtime knows (com.microsoft FusedConv, FusedGemm, Gelu, QLinearAdd, ...),\n"
      "so the output stays loadable by ORT. Example:\n"
      "  edgewise optimize resnet18.onnx -o resnet18.opt.onnx --level O2 --dims N=1");
  cmd->callback([args] { exit_code() = run(*args); });
}

}  // namespace ew::cli
