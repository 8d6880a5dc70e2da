// Knowledge distillation: a student trained on
//   L = α·CE(y, s) + β·T²·KL(softmax(t/T) || softmax(s/T)) + γ·Σ‖θ_s‖²
// (train/loss.h, kind "distill") against a teacher's logits t, which come
// from a cache on disk or from the teacher run alongside (teacher.h); and
// progressive chains, where every stage is the next one's teacher.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "distill/teacher.h"
#include "train/trainer.h"

namespace ew::distill {

struct DistillOptions {
  train::TrainOptions train;  // its loss becomes "distill"; loss.alpha/beta/gamma/temperature are the recipe
  std::string cache_dir;      // where teacher logits are cached; "" runs the teacher alongside
  bool alongside = false;     // run the teacher on every batch (also forced by augmentation)
};

struct DistillReport {
  train::TrainReport train;
  bool alongside = false;  // the teacher ran on every batch
  TeacherCache cache;      // when it did not
};

// Called while teacher logits are cached: (rows done, rows).
using CacheProgress = std::function<void(int64_t, int64_t)>;

// Trains `student` (updated in place) to match `teacher` on `data`.
Result<DistillReport> distill(const Model& teacher, Model& student, const train::TrainingData& data,
                              const train::TrainingData& validation, const DistillOptions& options,
                              const std::function<void(const train::TrainProgress&)>& progress = {},
                              const CacheProgress& cache_progress = {});

}  // namespace ew::distill
