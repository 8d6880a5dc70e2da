// Where a distilled student's teacher logits come from.
//
// Cached: the teacher runs once over the training inputs and its logits go to
// a .npy file on disk, named by a hash of the teacher and the inputs (a later
// run with the same teacher and data reuses it). Batches read their rows from
// the file, so memory does not grow with the dataset.
//
// Alongside: the teacher runs on every batch as the student sees it, for
// augmented data, where logits of the unaugmented images would be wrong.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew::distill {

// The teacher's logits [B, C] for a batch: its rows' indices in the training
// data and its (possibly augmented) inputs.
using TeacherFn = std::function<Result<Tensor>(const std::vector<int64_t>& index, const Tensor& inputs)>;

struct TeacherCache {
  std::string path;      // the .npy file of logits [N, C]
  bool reused = false;   // found on disk, not computed
  int64_t rows = 0, classes = 0;
  double seconds = 0;    // to compute (0 when reused)
};

// Logits of `teacher` (inference mode, its first output [B, C]) for every row
// of `inputs`, cached in `dir`. `progress` gets (rows done, rows).
Result<TeacherFn> cached_teacher(const Model& teacher, const Tensor& inputs, const std::string& dir, int threads,
                                 TeacherCache* info = nullptr,
                                 const std::function<void(int64_t, int64_t)>& progress = {});

// Runs `teacher` on each batch's inputs.
Result<TeacherFn> teacher_alongside(const Model& teacher, int threads);

}  // namespace ew::distill
