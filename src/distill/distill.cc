#include "distill/distill.h"

#include "ops/shape_inference.h"

namespace ew::distill {
namespace {

// The class count of a model's first output [N, C] when known, else -1.
int64_t classes_of(const Model& m) {
  Model copy = deep_copy(m);
  if (!infer_shapes(copy).is_ok() || copy.graph.outputs.empty()) return -1;
  const ValueType* t = copy.graph.find_type(copy.graph.outputs[0].name);
  if (!t || !t->has_shape || t->dims.size() != 2 || !t->dims[1].known()) return -1;
  return t->dims[1].value;
}

}  // namespace

Result<DistillReport> distill(const Model& teacher, Model& student, const train::TrainingData& data,
                              const train::TrainingData& validation, const DistillOptions& options,
                              const std::function<void(const train::TrainProgress&)>& progress,
                              const CacheProgress& cache_progress) {
  EW_RETURN_IF_ERROR(train::check_data(data));
  const int64_t tc = classes_of(teacher), sc = classes_of(student);
  if (tc > 0 && sc > 0 && tc != sc)
    return invalid_argument("the teacher predicts " + std::to_string(tc) + " classes, the student " + std::to_string(sc));
  DistillReport r;
  train::TrainOptions o = options.train;
  o.loss.kind = "distill";
  r.alongside = options.alongside || options.cache_dir.empty() || o.augment.any();
  if (r.alongside) {
    EW_ASSIGN_OR_RETURN(o.teacher, teacher_alongside(teacher, o.threads));
  } else {
    EW_ASSIGN_OR_RETURN(o.teacher, cached_teacher(teacher, data.inputs, options.cache_dir, o.threads, &r.cache,
                                                  cache_progress));
  }
  EW_ASSIGN_OR_RETURN(r.train, train::train(student, data, validation, o, progress));
  return r;
}

}  // namespace ew::distill
