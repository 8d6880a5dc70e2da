// sustained_to_json (declared in sustained.h).
#include <nlohmann/json.hpp>

#include "device/sustained.h"

namespace ew {
namespace {

nlohmann::json optional_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json point_json(const DvfsPoint& p) {
  return {{"frequency_mhz", p.frequency_mhz > 0 ? nlohmann::json(p.frequency_mhz) : nlohmann::json()},
          {"voltage_v", p.voltage_v > 0 ? nlohmann::json(p.voltage_v) : nlohmann::json()},
          {"speed", p.speed},
          {"energy_scale", p.energy_scale}};
}

nlohmann::json points_json(const std::vector<PointPrediction>& points) {
  nlohmann::json a = nlohmann::json::array();
  for (const PointPrediction& p : points) {
    nlohmann::json j = point_json(p.point);
    j.update({{"latency_ms", p.latency_s * 1e3}, {"energy_mj", p.energy_j * 1e3},
              {"dynamic_energy_mj", p.dynamic_energy_j * 1e3}, {"power_w", p.power_w}});
    a.push_back(j);
  }
  return a;
}

nlohmann::json variant_json(const SustainedVariant& v, const std::vector<PointPrediction>& points) {
  return {{"name", v.name}, {"accuracy", optional_json(v.accuracy)}, {"macs", v.prediction.macs},
          {"bytes", v.prediction.bytes}, {"operating_points", points_json(points)}};
}

// Time series as parallel arrays (compact, and what charting libraries take).
nlohmann::json series_json(const std::vector<SustainedSample>& samples) {
  nlohmann::json t = nlohmann::json::array(), c = t, f = t, p = t, l = t, w = t, v = t;
  for (const SustainedSample& s : samples) {
    t.push_back(s.t_s);
    c.push_back(s.temperature_c);
    f.push_back(s.frequency_mhz);
    p.push_back(s.point);
    l.push_back(s.latency_s * 1e3);
    w.push_back(s.power_w);
    v.push_back(s.variant);
  }
  return {{"t_s", t}, {"temperature_c", c}, {"frequency_mhz", f}, {"point", p},
          {"latency_ms", l}, {"power_w", w}, {"variant", v}};
}

nlohmann::json run_json(const SustainedRun& r) {
  return {{"policy", r.policy},
          {"trip_s", optional_json(r.trip_s)},
          {"first_throttle_s", optional_json(r.first_throttle_s)},
          {"shutdown_s", optional_json(r.shutdown_s)},
          {"load_s", r.load_s},
          {"inferences", r.inferences},
          {"fallback_inferences", r.fallback_inferences},
          {"mean_latency_ms", r.mean_latency_s * 1e3},
          {"energy_j", r.energy_j},
          {"energy_per_inference_mj", r.energy_per_inference_j * 1e3},
          {"mean_power_w", r.mean_power_w},
          {"throttled_s", r.throttled_s},
          {"fallback_s", r.fallback_s},
          {"peak_temperature_c", r.peak_temperature_c},
          {"end_temperature_c", r.end_temperature_c},
          {"steady_state", {{"latency_ms", r.steady_latency_s * 1e3}, {"power_w", r.steady_power_w},
                            {"temperature_c", r.steady_temperature_c}, {"frequency_mhz", r.steady_frequency_mhz}}},
          {"recovery_s", optional_json(r.recovery_s)},
          {"accuracy", optional_json(r.accuracy)},
          {"series", series_json(r.samples)}};
}

nlohmann::json comparison_json(const SustainedRun& base, const SustainedRun& policy) {
  nlohmann::json j{{"mean_latency_ms", (policy.mean_latency_s - base.mean_latency_s) * 1e3},
                   {"energy_per_inference_mj", (policy.energy_per_inference_j - base.energy_per_inference_j) * 1e3},
                   {"inferences", policy.inferences - base.inferences},
                   {"steady_latency_ms", (policy.steady_latency_s - base.steady_latency_s) * 1e3},
                   {"accuracy_cost", nlohmann::json()}};
  if (base.accuracy && policy.accuracy) j["accuracy_cost"] = *base.accuracy - *policy.accuracy;
  return j;
}

}  // namespace

nlohmann::json sustained_to_json(const SustainedResult& r) {
  const ThermalSpec& th = r.thermal;
  nlohmann::json j{
      {"device", r.device},
      {"method", "simulated: roofline + DVFS + RC thermal model + step-wise governor"},
      {"unit", r.unit},
      {"nominal_only", r.nominal_only},
      {"seconds", r.options.seconds},
      {"polling_interval_s", r.options.polling_interval_s},
      {"sample_interval_s", r.options.sample_interval_s},
      {"steady_fraction", r.options.steady_fraction},
      {"thermal", {{"ambient_c", th.ambient_c.value}, {"throttle_c", th.throttle_c.value},
                   {"hysteresis_c", th.hysteresis_c.value}, {"critical_c", th.critical_c.value},
                   {"resistance_c_per_w", th.resistance_c_per_w.value}, {"time_constant_s", th.time_constant_s.value}}},
      {"power", {{"static_w", r.static_w}, {"tdp_w", r.tdp_w}, {"full_load_w", r.full_load_power_w},
                 {"full_load_steady_c", r.full_load_steady_c}, {"throttle_power_w", r.throttle_power_w}}},
      {"primary", variant_json(r.primary, r.primary_points)},
      {"fallback", r.fallback ? variant_json(*r.fallback, r.fallback_points) : nlohmann::json()},
      {"runs", {{"primary", run_json(r.primary_run)}}}};
  if (r.thermal_aware_run) {
    j["runs"]["thermal_aware"] = run_json(*r.thermal_aware_run);
    j["comparison"] = comparison_json(r.primary_run, *r.thermal_aware_run);
  }
  return j;
}

}  // namespace ew
