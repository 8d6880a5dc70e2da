// Energy per inference for `edgewise bench` on this machine: measured with the
// RAPL package counters over the timed runs (src/device/energy_meter.h) when
// they are readable, beside the `host` profile's model prediction; otherwise
// one line saying why nothing was measured.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "device/energy_meter.h"
#include "device/roofline.h"

namespace ew::cli {

struct MeasuredBenchEnergy {
  device::MeasuredEnergy measured;
  std::optional<ModelPrediction> predicted;  // host profile, only when measured
  std::string prediction_error;
};

// Finishes the meter; predicts on the host profile when energy was measured.
MeasuredBenchEnergy measure_bench_energy(const device::InferenceEnergyMeter& meter, const std::string& model,
                         const std::map<std::string, int64_t>& dims);
void print_measured_energy(const MeasuredBenchEnergy& e);
nlohmann::json measured_energy_json(const MeasuredBenchEnergy& e);

}  // namespace ew::cli
