// Applies a QdqPlan: one QuantizeLinear -> DequantizeLinear pair per planned
// activation tensor (read by all of its consumers), and constant weights
// stored quantized behind a DequantizeLinear (per channel along the output
// channel axis, or per tensor), with Conv/Gemm biases in int32 at scale
// input_scale x weight_scale and zero point 0, as ONNX Runtime writes them.
#pragma once

#include "quant/calibration.h"
#include "quant/qdq_plan.h"

namespace ew::quant {

// Rewrites `model` (already changed by plan_qdq) and fills the weight
// statistics of the planned layers in `plan.layers`. Fails naming the tensor
// when a planned activation has no (finite) range in `ranges`.
Status apply_qdq(Model& model, QdqPlan& plan, const RangeMap& ranges, const QuantizeOptions& options);

}  // namespace ew::quant
