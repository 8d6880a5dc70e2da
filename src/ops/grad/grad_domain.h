// The gradient domain: ops that training graphs use and ONNX lacks — the
// training form of forward ops (batch statistics, seeded dropout), losses
// with what their backward needs, and backward kernels. One op per file in
// this folder, registered under kGradDomain (opset 1). Inference models never
// contain them: training graphs are exported back to plain ONNX.
#pragma once

namespace ew {

inline constexpr const char* kGradDomain = "ai.edgewise.grad";

}  // namespace ew
