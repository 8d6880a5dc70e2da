#include "bench_energy.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "device/model_prediction.h"

namespace ew::cli {

MeasuredBenchEnergy measure_bench_energy(const device::InferenceEnergyMeter& meter, const std::string& model,
                         const std::map<std::string, int64_t>& dims) {
  MeasuredBenchEnergy e{meter.result()};
  if (!e.measured.measured) return e;
  auto host = load_device_profile("host");
  if (!host.is_ok()) {
    e.prediction_error = host.status().message();
    return e;
  }
  auto p = predict_model_roofline(model, *host, dims);
  if (p.is_ok()) e.predicted = std::move(*p);
  else e.prediction_error = p.status().message();
  return e;
}

void print_measured_energy(const MeasuredBenchEnergy& e) {
  const device::MeasuredEnergy& m = e.measured;
  if (!m.measured) {
    std::printf("rapl energy not measured: %s\n", m.reason.c_str());
    return;
  }
  std::printf("rapl energy %.3f mJ per inference measured (RAPL package, %lld runs, %.2f W mean; includes idle and other processes)",
              m.per_inference_j() * 1e3, static_cast<long long>(m.runs), m.power_w());
  if (e.predicted) std::printf("; host model predicts %.3f mJ\n", e.predicted->energy_j * 1e3);
  else std::printf("; no host prediction (%s)\n", e.prediction_error.c_str());
}

nlohmann::json measured_energy_json(const MeasuredBenchEnergy& e) {
  const device::MeasuredEnergy& m = e.measured;
  nlohmann::json j{{"measured", m.measured}, {"source", "rapl"}};
  if (!m.measured) {
    j["reason"] = m.reason;
    return j;
  }
  j.update({{"zones", m.zones}, {"runs", m.runs}, {"energy_j", m.energy_j}, {"seconds", m.seconds},
            {"energy_per_inference_mj", m.per_inference_j() * 1e3}, {"mean_power_w", m.power_w()}});
  j["predicted_energy_per_inference_mj"] = e.predicted ? nlohmann::json(e.predicted->energy_j * 1e3) : nlohmann::json();
  if (!e.prediction_error.empty()) j["prediction_error"] = e.prediction_error;
  return j;
}

}  // namespace ew::cli
