// Shared by SoftmaxCrossEntropy and its gradient: the label and weight checks.
#pragma once

#include <string>
#include <vector>

#include "ops/op.h"

namespace ew {

// Class weights (all 1 without the input) and the per-sample labels, checked
// against the class count: a label outside [0, classes) names its position.
template <typename Ctx>
Status cross_entropy_labels(const Ctx& ctx, const Tensor& labels, int64_t batch, int64_t classes, int weights_input,
                            std::vector<int64_t>& out_labels, std::vector<float>& out_weights) {
  if (labels.dtype() != DType::kInt64 && labels.dtype() != DType::kInt32)
    return ctx.error("labels must be int64 or int32, got " + labels.describe());
  if (labels.numel() != batch)
    return ctx.error("labels " + labels.describe() + " do not match the batch of " + std::to_string(batch));
  out_labels.resize(static_cast<size_t>(batch));
  for (int64_t i = 0; i < batch; ++i) {
    const int64_t l = labels.get_int64(i);
    if (l < 0 || l >= classes)
      return ctx.error("label " + std::to_string(l) + " at batch position " + std::to_string(i) + " is outside [0, " +
                       std::to_string(classes) + ")");
    out_labels[static_cast<size_t>(i)] = l;
  }
  out_weights.assign(static_cast<size_t>(classes), 1.0f);
  if (ctx.has_input(weights_input)) {
    const Tensor& w = ctx.input(weights_input);
    if (w.dtype() != DType::kFloat32 || w.numel() != classes)
      return ctx.error("class weights must be float32[" + std::to_string(classes) + "], got " + w.describe());
    for (int64_t c = 0; c < classes; ++c) out_weights[static_cast<size_t>(c)] = w.data<float>()[c];
  }
  return Status::ok();
}

}  // namespace ew
