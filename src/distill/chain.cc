#include "distill/chain.h"

#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "train/model_builder.h"

namespace ew::distill {

Result<std::vector<StageReport>> distill_chain(const std::vector<ChainStage>& stages, const train::TrainingData& data,
                                               const train::TrainingData& validation, const train::TrainingData& test,
                                               const DistillOptions& options, const StageMetricsOptions& metrics,
                                               const ChainCallbacks& callbacks) {
  if (stages.size() < 2) return invalid_argument("a distillation chain needs a teacher and at least one student");
  if (train::looks_like_model_spec(stages[0].source))
    return invalid_argument("the first stage is the teacher: a trained .onnx model, not a spec (" + stages[0].source + ")");
  std::vector<StageReport> out;
  EW_ASSIGN_OR_RETURN(Model teacher, load_onnx(stages[0].source));
  StageReport first{stages[0], {}, std::nullopt};
  EW_ASSIGN_OR_RETURN(first.metrics, measure_stage(stages[0].source, test, metrics));
  out.push_back(std::move(first));
  for (size_t i = 1; i < stages.size(); ++i) {
    if (callbacks.stage_started) callbacks.stage_started(i, stages.size());
    EW_ASSIGN_OR_RETURN(Model student, train::load_model_or_spec(stages[i].source));
    DistillOptions o = options;  // each stage checkpoints into its own folder
    if (!o.train.checkpoint_dir.empty()) o.train.checkpoint_dir += "/stage" + std::to_string(i);
    auto r = distill(teacher, student, data, validation, o, callbacks.progress, callbacks.cache_progress);
    if (!r.is_ok()) return r.status().with_context("stage " + std::to_string(i) + " (" + stages[i].source + "): ");
    EW_RETURN_IF_ERROR(save_onnx(student, stages[i].output));
    StageReport s{stages[i], {}, std::move(*r)};
    EW_ASSIGN_OR_RETURN(s.metrics, measure_stage(stages[i].output, test, metrics));
    out.push_back(std::move(s));
    teacher = std::move(student);
  }
  return out;
}

}  // namespace ew::distill
