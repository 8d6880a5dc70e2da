// Progressive distillation: a chain of models, teacher first, each stage
// distilled from the one before it (T -> M -> S -> XS), with every stage's
// size, accuracy and latency measured.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "distill/distill.h"
#include "distill/stage_metrics.h"

namespace ew::distill {

struct ChainStage {
  std::string source;  // an ONNX file or a model spec (.json); the first stage is the trained teacher
  std::string output;  // where the distilled stage is written (unused for the first)
};

struct StageReport {
  ChainStage stage;
  StageMetrics metrics;
  std::optional<DistillReport> distill;  // every stage but the first
};

struct ChainCallbacks {
  std::function<void(size_t stage, size_t stages)> stage_started;  // before each stage after the first
  std::function<void(const train::TrainProgress&)> progress;
  CacheProgress cache_progress;
};

// Distils stages[1..] one after the other and measures every stage on `test`.
Result<std::vector<StageReport>> distill_chain(const std::vector<ChainStage>& stages, const train::TrainingData& data,
                                               const train::TrainingData& validation, const train::TrainingData& test,
                                               const DistillOptions& options, const StageMetricsOptions& metrics,
                                               const ChainCallbacks& callbacks = {});

}  // namespace ew::distill
