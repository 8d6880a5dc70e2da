// What a compressed model costs and how well it does, for the reports of the
// compression commands (a distillation chain's stages, pruned, quantized and
// palettized models): parameters, size on disk, test accuracy, latency
// predicted on a device profile and measured on this host.
#pragma once

#include <string>

#include "device/device_profile.h"
#include "train/training_data.h"

namespace ew::distill {

struct StageMetrics {
  std::string path;
  int64_t parameters = 0, file_bytes = 0;
  double accuracy = -1;         // top-1 on the test data; -1 without it
  double predicted_ms = -1;     // roofline on the device profile; -1 without one
  double measured_p50_ms = -1;  // this host, batch 1
};

struct StageMetricsOptions {
  const DeviceProfile* device = nullptr;  // for the predicted latency; nullptr: none
  int threads = 1;
  int runs = 20;             // timed runs for the measured latency (0: not measured)
  double min_seconds = 0.2;  // and at least this long
};

// Metrics of the model saved at `path`, evaluated on `test` (may be empty).
Result<StageMetrics> measure_stage(const std::string& path, const train::TrainingData& test,
                                   const StageMetricsOptions& options);

}  // namespace ew::distill
