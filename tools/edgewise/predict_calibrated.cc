#include "predict_calibrated.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "device/latency_predictor.h"

namespace ew::cli {

namespace {

nlohmann::json to_json(const LatencyPrediction& p, const LatencyModel& m, const std::string& path) {
  nlohmann::json steps = nlohmann::json::array();
  for (const StepPrediction& s : p.steps)
    steps.push_back({{"name", s.name}, {"op_pattern", s.op_pattern}, {"backend", s.backend},
                     {"kernel_type", s.kernel_type}, {"latency_ms", s.latency_ms},
                     {"method", s.fallback ? "roofline-fallback" : "fitted"}});
  return {{"device", "host"}, {"method", "calibrated"}, {"latency_model", path}, {"latency_ms", p.latency_ms},
          {"run_overhead_ms", m.run_overhead_ms}, {"fallback_steps", p.fallback_steps},
          {"trained_on", m.trained_on}, {"steps", std::move(steps)}};
}

void print_text(const LatencyPrediction& p, const LatencyModel& m, const std::string& path, int top) {
  std::printf("device      host (calibrated: per-kernel model fitted to this machine's measured steps)\n");
  std::printf("model file  %s (fitted on %zu models)\n", path.c_str(), m.trained_on.size());
  std::printf("latency     %.3f ms (%zu steps + %.3f ms run overhead)\n", p.latency_ms, p.steps.size(), m.run_overhead_ms);
  if (p.fallback_steps)
    std::printf("note        %d steps use kernel types never measured: roofline / median efficiency (%.3f) instead\n",
                p.fallback_steps, m.efficiency);
  std::vector<const StepPrediction*> steps;
  for (const StepPrediction& s : p.steps) steps.push_back(&s);
  std::sort(steps.begin(), steps.end(), [](auto* a, auto* b) { return a->latency_ms > b->latency_ms; });
  std::printf("\n%-30s %-34s %-10s %10s %s\n", "top steps", "ops", "backend", "ms", "method");
  for (int i = 0; i < top && i < static_cast<int>(steps.size()); ++i)
    std::printf("%-30.30s %-34.34s %-10.10s %10.4f %s\n", steps[i]->name.c_str(), steps[i]->op_pattern.c_str(),
                steps[i]->backend.c_str(), steps[i]->latency_ms, steps[i]->fallback ? "roofline-fallback" : "fitted");
}

}  // namespace

int run_calibrated_predict(const CalibratedPredictArgs& a) {
  std::string path = a.latency_model.empty() ? default_latency_model_path() : a.latency_model;
  auto model = load_host_latency_model(path);
  if (!model.is_ok()) return report_error(model.status());
  auto steps = model_kernel_steps(a.model, a.dims);
  if (!steps.is_ok()) return report_error(steps.status());
  LatencyPrediction p = predict_latency(*model, *steps);
  if (a.json) std::cout << to_json(p, *model, path).dump(2) << "\n";
  else print_text(p, *model, path, a.top);
  return 0;
}

}  // namespace ew::cli
