// com.microsoft::FusedGemm (ONNX Runtime contrib op): Gemm followed by the
// activation named by `activation` with `activation_alpha` / `activation_beta`
// (LeakyRelu alpha; HardSigmoid alpha, beta). The reference kernel runs the
// plain Gemm kernel, then the activation. float32 only, as in ORT.
#include "ops/fused/fused_activation.h"
#include "ops/op.h"

namespace ew {
namespace {

const OpDef* gemm_op() { return OpRegistry::find("", "Gemm", 13); }

Status infer_fused_gemm(InferContext& ctx) {
  if (ctx.input_type(0).dtype != DType::kFloat32) return ctx.error("FusedGemm supports float32 only");
  auto act = FusedActivation::of(ctx.node());
  if (!act.is_ok()) return ctx.error(act.status().message());
  const OpDef* gemm = gemm_op();
  if (!gemm) return ctx.error("no Gemm kernel");
  // Gemm rules at a recent ONNX opset (C optional), not the com.microsoft version.
  std::vector<const ValueType*> types;
  std::vector<const Tensor*> values;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    types.push_back(ctx.has_input(i) ? &ctx.input_type(i) : nullptr);
    values.push_back(ctx.input_value(i));
  }
  InferContext gemm_ctx(ctx.node(), 13, types, values);
  EW_RETURN_IF_ERROR(gemm->infer(gemm_ctx));
  ctx.set_output(0, gemm_ctx.output_types()[0]);
  return Status::ok();
}

Status run_fused_gemm(KernelContext& ctx) {
  auto act = FusedActivation::of(ctx.node());
  if (!act.is_ok()) return ctx.error(act.status().message());
  std::vector<const Tensor*> in;
  for (int i = 0; i < ctx.num_inputs(); ++i) in.push_back(ctx.has_input(i) ? &ctx.input(i) : nullptr);
  std::vector<Tensor> out{ctx.output(0)};
  KernelContext gemm_ctx(ctx.node(), 13, in, &out, nullptr, ctx.threadpool());
  EW_RETURN_IF_ERROR(gemm_op()->run(gemm_ctx));
  Tensor& y = ctx.output(0);
  if (!y.shares_buffer_with(out[0])) y = out[0];
  act->apply(y.data<float>(), y.numel());
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "FusedGemm", .domain = "com.microsoft", .since_version = 1, .infer = infer_fused_gemm,
               .run = run_fused_gemm);

}  // namespace ew
