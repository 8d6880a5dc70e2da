// edgewise predict MODEL --device PROFILE: roofline latency and energy of the
// model on a device profile (src/device/roofline.h), per op and in total.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "commands.h"
#include "device/op_cost.h"
#include "device/model_prediction.h"
#include "device/roofline.h"
#include "device/variant_metrics.h"
#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "predict_calibrated.h"
#include "ops/shape_inference.h"

namespace ew::cli {

namespace {

struct Args {
  std::string model, device = "host", method = "roofline", latency_model;
  std::vector<std::string> dims;
  int top = 10;
  bool json = false;
};

struct Prediction {
  ModelPrediction roofline;
  ModelMemory memory;      // parameters + the memory planner's peak activation arena
  double device_bytes = 0;  // the profile's memory size
  bool fits() const { return static_cast<double>(memory.total()) <= device_bytes; }
};

Result<Prediction> predict(const Args& a) {
  EW_ASSIGN_OR_RETURN(Model m, load_onnx(a.model));
  EW_ASSIGN_OR_RETURN(auto dims, parse_dims(a.dims));
  EW_ASSIGN_OR_RETURN(DeviceProfile device, load_device_profile(a.device));
  Prediction p;
  EW_ASSIGN_OR_RETURN(p.memory, measure_model_memory(m, dims));  // a copy: the session optimizes its own
  EW_ASSIGN_OR_RETURN(p.roofline, predict_model_roofline(std::move(m), device, dims));  // the graph the runtime executes (O2)
  p.device_bytes = device.memory_bytes();
  return p;
}

nlohmann::json to_json(const Prediction& pr) {
  const ModelPrediction& p = pr.roofline;
  nlohmann::json j{{"device", p.device}, {"method", "roofline"}, {"latency_ms", p.latency_s * 1e3},
                   {"energy_mj", p.energy_j * 1e3}, {"dynamic_energy_mj", p.dynamic_energy_j * 1e3},
                   {"static_energy_mj", p.static_energy_j * 1e3}, {"macs", p.macs}, {"bytes", p.bytes},
                   {"exact", p.exact}};
  for (const OpPrediction& o : p.ops)
    j["ops"].push_back({{"node", o.node}, {"op_type", o.op_type}, {"precision", precision_name(o.precision)},
                        {"latency_ms", o.latency_s * 1e3}, {"compute_ms", o.compute_s * 1e3},
                        {"memory_ms", o.memory_s * 1e3}, {"memory_bound", o.memory_bound},
                        {"energy_mj", o.energy_j * 1e3}, {"exact", o.exact}});
  j["memory"] = {{"param_bytes", pr.memory.param_bytes}, {"arena_bytes", pr.memory.arena_bytes},
                 {"total_bytes", pr.memory.total()}, {"device_bytes", pr.device_bytes},
                 {"fits", pr.fits()}};
  return j;
}

void print_text(const Prediction& pr, int top) {
  const ModelPrediction& p = pr.roofline;
  std::printf("device      %s (roofline: peak ops at each op's precision, DRAM bandwidth)\n", p.device.c_str());
  std::printf("latency     %.3f ms%s\n", p.latency_s * 1e3, p.exact ? "" : " (lower bound: some shapes unknown)");
  std::printf("energy      %.3f mJ per inference (dynamic %.3f, static %.3f)\n", p.energy_j * 1e3,
              p.dynamic_energy_j * 1e3, p.static_energy_j * 1e3);
  const double mib = 1 << 20;
  std::printf("memory      %.3f MiB = parameters %.3f + peak activations %.3f (memory planner arena); device has %.0f MiB%s\n",
              static_cast<double>(pr.memory.total()) / mib, static_cast<double>(pr.memory.param_bytes) / mib,
              static_cast<double>(pr.memory.arena_bytes) / mib, pr.device_bytes / mib,
              pr.fits() ? "" : " (DOES NOT FIT)");
  std::vector<const OpPrediction*> ops;
  for (const OpPrediction& o : p.ops) ops.push_back(&o);
  std::sort(ops.begin(), ops.end(), [](auto* a, auto* b) { return a->latency_s > b->latency_s; });
  std::printf("\n%-36s %-12s %-5s %10s %8s\n", "top ops", "op", "prec", "ms", "bound");
  for (int i = 0; i < top && i < static_cast<int>(ops.size()); ++i)
    std::printf("%-36.36s %-12.12s %-5s %10.4f %8s\n", ops[i]->node.c_str(), ops[i]->op_type.c_str(),
                precision_name(ops[i]->precision), ops[i]->latency_s * 1e3, ops[i]->memory_bound ? "memory" : "compute");
}

int run(const Args& a) {
  if (a.method == "calibrated") {
    if (a.device != "host")
      return report_error(invalid_argument("--method calibrated predicts this host only (it is fitted to this "
                                           "machine's measurements); use --device host or --method roofline"));
    auto dims = parse_dims(a.dims);
    if (!dims.is_ok()) return report_error(dims.status());
    return run_calibrated_predict({a.model, a.latency_model, *dims, a.top, a.json});
  }
  auto p = predict(a);
  if (!p.is_ok()) return report_error(p.status());
  if (a.json) std::cout << to_json(*p).dump(2) << "\n";
  else print_text(*p, a.top);
  return 0;
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict", "Predict a model's latency and energy per inference on a device profile");
  cmd->add_option("model", a->model, "ONNX model")->required();
  cmd->add_option("--device", a->device, "Device profile: a name from `edgewise device --profiles`, host, or a .json")
      ->capture_default_str();
  cmd->add_option("--dims", a->dims, "Symbolic input dims, e.g. N=1 (unbound ones are 1)");
  cmd->add_option("--method", a->method,
                  "roofline (any profile) | calibrated (host only: the model `edgewise latency-model fit` wrote)")
      ->check(CLI::IsMember({"roofline", "calibrated"}))
      ->capture_default_str();
  cmd->add_option("--latency-model", a->latency_model,
                  "With --method calibrated: the fitted model (default: latency_model.json beside the host profile cache)");
  cmd->add_option("--top", a->top, "Ops to list, slowest first")->capture_default_str();
  cmd->add_flag("--json", a->json, "Print the prediction, per op, as JSON");
  cmd->callback([a] { exit_code() = run(*a); });
}

}  // namespace ew::cli
