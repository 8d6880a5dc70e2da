// Every pass, in the order the pass manager runs them within one iteration.
// Adding a pass: write its file, declare it here, add it to all_passes().
#pragma once

#include <vector>

#include "passes/pass.h"

namespace ew {

extern const Pass kConstantFolding;
extern const Pass kShapeFolding;
extern const Pass kIdentityElimination;
extern const Pass kDeadCodeElimination;
extern const Pass kReluQuantizeFusion;
extern const Pass kQdqFusion;
extern const Pass kQdqGemmFusion;
extern const Pass kQdqPassthroughFusion;
extern const Pass kDynamicQuantizeMatMulFusion;
extern const Pass kConvBatchNormFusion;
extern const Pass kBiasAddFusion;
extern const Pass kMatMulAddFusion;
extern const Pass kLayerNormFusion;
extern const Pass kGeluFusion;
extern const Pass kConvActivationFusion;
extern const Pass kGemmActivationFusion;

// In run order: cleanup first, QDQ groups before the float fusions that would
// otherwise take their Conv nodes, BatchNorm and bias folds before activations.
inline std::vector<const Pass*> all_passes() {
  return {&kIdentityElimination,   &kShapeFolding,       &kConstantFolding,
          &kDeadCodeElimination,   &kReluQuantizeFusion, &kQdqPassthroughFusion, &kQdqFusion, &kQdqGemmFusion,
          &kDynamicQuantizeMatMulFusion, &kConvBatchNormFusion, &kBiasAddFusion,
          &kMatMulAddFusion,       &kLayerNormFusion,    &kGeluFusion,
          &kConvActivationFusion,  &kGemmActivationFusion};
}

}  // namespace ew
