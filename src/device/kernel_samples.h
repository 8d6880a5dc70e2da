// Kernel samples: measured time of every executed step of a model on this
// host, with the step's features (kernel_features.h) — the training and test
// data of the latency predictor, in the way nn-Meter profiles kernels.
//
// Measuring is made robust for a busy machine: all models are loaded first,
// then measured in `rounds` interleaved passes (model A, B, C, A, B, C, ...);
// in each pass a model runs `runs` times (after `warmup` untimed runs) with a
// step observer. A step's time is the median of its runs within a pass, and
// the sample keeps the minimum of those medians over passes (the pass least
// disturbed by other work). The model's end-to-end latency is taken the same way.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "device/kernel_features.h"

namespace ew {

struct StepSample {
  KernelStep step;
  double measured_ms = 0;
};

struct ModelSamples {
  std::string name;         // the model's folder for <dir>/model.onnx, else the file's stem
  std::string path;
  double measured_ms = 0;   // end-to-end run latency
  std::vector<StepSample> steps;
};

struct CollectOptions {
  int version = 1;
  int rounds = 3;                       // interleaved passes over all models
  int runs = 10;                        // timed runs per model per pass
  int warmup = 2;                       // untimed runs per model per pass
  int threads = 1;
  std::map<std::string, int64_t> dims;  // symbolic dims (others 1)
};

// (models done in this pass, models, pass, passes)
using CollectProgress = std::function<void(int done, int total, int round, int rounds)>;

// Inputs: <model dir>/test_data_set_0 when present (real shapes, e.g. BERT's
// sequence length), else deterministic random ones.
Result<std::vector<ModelSamples>> collect_samples(const std::vector<std::string>& model_paths,
                                                  const CollectOptions& options, const CollectProgress& progress = {});

// A model to measure: a file (`path`), or one built in memory (`model`, e.g. a
// sampled kernel from sampled_kernels.h, measured on random inputs).
struct ModelSource {
  std::string name, path;
  std::optional<Model> model;
};
Result<std::vector<ModelSamples>> collect_samples(std::vector<ModelSource> sources, const CollectOptions& options,
                                                  const CollectProgress& progress = {});

// The steps the runtime would execute for a model file (one thread, default
// session options), planned for inputs with `dims` bound (others 1) without running.
Result<std::vector<KernelStep>> model_kernel_steps(const std::string& model_path,
                                                   const std::map<std::string, int64_t>& dims = {});

// "resnet18_random" for .../resnet18_random/model.onnx, "mbv2_r96" for mbv2_r96.onnx.
std::string model_display_name(const std::string& path);

// {"format": "edgewise-kernel-samples", "version": 1, "host_fingerprint", "models": [...]}.
nlohmann::json samples_to_json(const std::vector<ModelSamples>& samples, const std::string& host_fingerprint);
Result<std::vector<ModelSamples>> samples_from_json(const nlohmann::json& j, const std::string& origin);
Status save_samples(const std::vector<ModelSamples>& samples, const std::string& path);
Result<std::vector<ModelSamples>> load_samples(const std::string& path);

}  // namespace ew
