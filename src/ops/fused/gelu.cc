// com.microsoft::Gelu (ONNX Runtime contrib op): x * Phi(x) with the exact erf
// form, the op the GELU fusion emits. Runs the ONNX Gelu (opset 20) kernel.
#include "ops/op.h"

namespace ew {
namespace {

const OpDef* onnx_gelu() { return OpRegistry::find("", "Gelu", 20); }

Status infer_ms_gelu(InferContext& ctx) {
  const OpDef* g = onnx_gelu();
  if (!g) return ctx.error("no Gelu kernel");
  return g->infer(ctx);
}

Status run_ms_gelu(KernelContext& ctx) { return onnx_gelu()->run(ctx); }

}  // namespace

EW_REGISTER_OP(.op_type = "Gelu", .domain = "com.microsoft", .since_version = 1, .infer = infer_ms_gelu,
               .run = run_ms_gelu);

}  // namespace ew
