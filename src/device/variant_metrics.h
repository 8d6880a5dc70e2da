// Measuring a model variant for `edgewise select` (variant_selection.h):
// latency (measured with run_benchmark on the host profile, the roofline
// prediction on any other), energy per inference (the profile's roofline
// energy model; its static part over that latency), memory (the runtime's
// parameter bytes + the memory planner's arena with every intermediate planned,
// i.e. XNNPACK off; device independent), the
// file size, and optionally top-1 accuracy on a labeled dataset.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "device/device_profile.h"
#include "device/variant_selection.h"
#include "ir/graph.h"
#include "data/dataset.h"

namespace ew {

struct VariantMeasureOptions {
  int version = 1;
  int threads = 1;
  std::map<std::string, int64_t> dims;  // symbolic input dims (unbound ones are 1)
  // Quick host benchmark: at least `bench_runs` timed runs and `bench_seconds`.
  int bench_runs = 10;
  double bench_seconds = 0.3;
};

// The memory one inference needs: parameter bytes the runtime keeps (after its
// graph optimization) and the memory planner's arena holding every intermediate
// at once-planned offsets, i.e. the peak activation memory (XNNPACK off, so that
// every intermediate is planned). Device independent.
struct ModelMemory {
  int64_t param_bytes = 0;
  int64_t arena_bytes = 0;
  int64_t total() const { return param_bytes + arena_bytes; }
};
Result<ModelMemory> measure_model_memory(const std::string& model_path, const std::map<std::string, int64_t>& dims = {},
                                         int threads = 1);
// The same for a model already in memory (e.g. one also being predicted).
Result<ModelMemory> measure_model_memory(Model model, const std::map<std::string, int64_t>& dims = {}, int threads = 1);

// Everything but accuracy; latency is measured when `device` is the host profile.
Result<VariantMetrics> measure_variant(const std::string& model_path, const DeviceProfile& device,
                                       const VariantMeasureOptions& options = {});

// Top-1 accuracy of the classifier at `model_path` on `data` (batches of 100).
Result<double> measure_accuracy(const std::string& model_path, const LabeledDataset& data, int threads = 1);

}  // namespace ew
