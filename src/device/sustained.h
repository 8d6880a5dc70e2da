// Sustained inference on a device profile, simulated: a model runs back to
// back for `seconds`; the RC thermal model (thermal_model.h) heats up under
// the power of each inference at the current operating point (dvfs.h); a
// step-wise governor (governor.h) polls the temperature and lowers or raises
// the point. After the load stops the device idles at static power until the
// governor is back at the top point (the recovery time).
//
// Power is the profile's own model, P = (MACs·energy per MAC·(V/V_max)² +
// bytes·energy per byte)/latency + static power, so whether a run throttles
// follows from the profile's energies and thermal constants alone; the result
// carries the full-load steady-state temperature to show how close it came.
//
// Thermal-aware policy: given a fallback variant (e.g. the INT8 model), each
// new inference runs the fallback while the device is hot — from the first
// poll at or above throttle_c until the governor is back at the top point and
// the temperature is at or below throttle_c − hysteresis_c — and the primary
// otherwise. Both policies are simulated so the result can say what the
// fallback buys: mean latency, energy per inference, inferences completed and
// the time-weighted accuracy cost.
//
// Deterministic and event-driven (governor polls, samples, inference ends;
// whole inferences between two events are taken in one step with the exact
// thermal update), so a 600 s run takes well under a millisecond of work per
// simulated second.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "device/dvfs.h"

namespace ew {

struct SustainedVariant {
  std::string name;                // shown in results, e.g. the model file
  ModelPrediction prediction;      // roofline at the profile's top point (predict_roofline)
  std::optional<double> accuracy;  // any scale (e.g. top-1 %), only compared between variants
};

struct SustainedOptions {
  int version = 1;
  double seconds = 600;                // load duration, > 0
  double polling_interval_s = 1.0;     // governor polling (Linux cpu-thermal zones commonly poll at 1 s)
  double sample_interval_s = 1.0;      // time series spacing
  double steady_fraction = 0.2;        // steady state = the last 20% of the load
  double max_recovery_s = 3600;        // stop waiting for recovery after this long idle
  double initial_temperature_c = NAN;  // NaN: start at ambient
};

struct SustainedSample {
  double t_s = 0;
  double temperature_c = 0;
  double frequency_mhz = 0;  // 0 when the unit has no operating points (nominal)
  int point = 0;             // operating point index, 0 = lowest
  double latency_s = 0;      // one inference of the running variant at this point (0 when idle)
  double power_w = 0;
  std::string variant;       // a variant's name, "idle" after the load, "off" after a shutdown
};

struct SustainedRun {
  std::string policy;  // "primary" (always the primary) | "thermal_aware" (fallback while hot)
  std::vector<SustainedSample> samples;
  std::optional<double> trip_s;            // first poll at or above throttle_c
  std::optional<double> first_throttle_s;  // first poll that lowered the operating point
  std::optional<double> shutdown_s;        // a poll at or above critical_c: the load stops there
  double load_s = 0;                       // simulated load time (shorter after a shutdown)
  int64_t inferences = 0, fallback_inferences = 0;
  double mean_latency_s = 0;               // over completed inferences
  double energy_j = 0;                     // during the load, static included
  double energy_per_inference_j = 0;
  double mean_power_w = 0;
  double throttled_s = 0;                  // load time below the top operating point
  double fallback_s = 0;                   // load time spent on the fallback
  double peak_temperature_c = 0, end_temperature_c = 0;
  // The last steady_fraction of the load.
  double steady_latency_s = 0, steady_power_w = 0, steady_temperature_c = 0, steady_frequency_mhz = 0;
  // After the load: idle until the governor is back at the top point. 0 when
  // it never left it; nullopt after a shutdown or when max_recovery_s passed.
  std::optional<double> recovery_s;
  std::optional<double> accuracy;          // time-weighted over the load, when both accuracies are known
};

struct SustainedResult {
  std::string device, unit;  // the profile and the compute unit whose clock the governor scales
  bool nominal_only = false;  // that unit has no operating points
  SustainedOptions options;
  ThermalSpec thermal;
  double static_w = 0, tdp_w = 0;
  SustainedVariant primary;
  std::optional<SustainedVariant> fallback;
  std::vector<PointPrediction> primary_points, fallback_points;  // per operating point, lowest first
  double full_load_power_w = 0;    // the primary at the top point
  double full_load_steady_c = 0;   // where full load would settle: T_amb + R·P
  double throttle_power_w = 0;     // the power whose steady state is throttle_c
  SustainedRun primary_run;
  std::optional<SustainedRun> thermal_aware_run;  // with a fallback
};

// Errors: seconds or intervals not positive, too many samples (> 1e6),
// a profile without thermal data, a prediction with zero latency.
Result<SustainedResult> simulate_sustained(const DeviceProfile& profile, const SustainedVariant& primary,
                                           const std::optional<SustainedVariant>& fallback,
                                           const SustainedOptions& options);

// Everything, including the full time series of both runs (for charts):
// times in s, latencies in ms, energies in mJ, power in W, temperatures in °C;
// an unreached event (never throttled) is null. "comparison" holds the
// thermal-aware run minus the primary run when there is a fallback.
nlohmann::json sustained_to_json(const SustainedResult& result);

}  // namespace ew
