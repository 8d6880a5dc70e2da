#include "distill/stage_metrics.h"

#include <filesystem>

#include "device/model_prediction.h"
#include "ir/onnx_import.h"
#include "runtime/benchmark.h"
#include "train/trainer.h"

namespace ew::distill {

Result<StageMetrics> measure_stage(const std::string& path, const train::TrainingData& test,
                                   const StageMetricsOptions& o) {
  StageMetrics m;
  m.path = path;
  std::error_code ec;
  m.file_bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (ec) return invalid_argument("cannot read " + path + ": " + ec.message());
  EW_ASSIGN_OR_RETURN(Model model, load_onnx(path));
  for (const auto& [name, t] : model.graph.initializers)
    if (t.dtype() == DType::kFloat32 && t.rank() > 0) m.parameters += t.numel();
  if (test.size() > 0) {
    EW_ASSIGN_OR_RETURN(train::Evaluation e, train::evaluate(model, test, 256, o.threads));
    m.accuracy = e.accuracy;
  }
  if (o.device) {
    EW_ASSIGN_OR_RETURN(ModelPrediction p, predict_model_roofline(model, *o.device));
    m.predicted_ms = p.latency_s * 1e3;
  }
  if (o.runs > 0) {
    SessionOptions so;
    so.threads = o.threads;
    BenchmarkOptions bo;
    bo.runs = o.runs;
    bo.warmup = 2;
    bo.min_seconds = o.min_seconds;
    EW_ASSIGN_OR_RETURN(BenchmarkResult r, run_benchmark(path, so, bo));
    m.measured_p50_ms = r.latency.p50;
  }
  return m;
}

}  // namespace ew::distill
