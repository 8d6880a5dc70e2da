// Roofline prediction for an ONNX file, shared by `edgewise predict`, the
// energy figure of `edgewise bench --report` and `edgewise select`: the graph
// the runtime executes (optimized at O2: folded, fused, QDQ groups as integer
// ops), symbolic input dims bound, costed per op (op_cost.h) and predicted on
// a device profile (roofline.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "device/roofline.h"
#include "ir/graph.h"

namespace ew {

// `dims` binds symbolic input dims by name; unbound ones are 1.
Result<ModelPrediction> predict_model_roofline(const std::string& model_path, const DeviceProfile& device,
                                               const std::map<std::string, int64_t>& dims = {});
// The same for a model already in memory (taken by value, then optimized).
Result<ModelPrediction> predict_model_roofline(Model model, const DeviceProfile& device,
                                               const std::map<std::string, int64_t>& dims = {});

// Energy per inference when one inference takes `latency_s` (e.g. the measured
// P50 rather than the roofline's optimistic latency): the prediction's dynamic
// energy (MACs and DRAM bytes) plus the device's static power over `latency_s`.
double energy_at_latency(const ModelPrediction& prediction, const DeviceProfile& device, double latency_s);

}  // namespace ew
