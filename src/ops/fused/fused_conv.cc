// com.microsoft::FusedConv (ONNX Runtime contrib op): Y = act(Conv(X, W, B) + Z)
// with the optional Z (same shape as Y) added before the activation named by
// `activation` / `activation_params`. float32 only, as in ORT. The reference
// kernel runs the plain Conv kernel, then adds Z and applies the activation.
#include "ops/fused/fused_activation.h"
#include "ops/op.h"

namespace ew {
namespace {

const OpDef* conv_op() { return OpRegistry::find("", "Conv", 11); }

Status infer_fused_conv(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.error("needs inputs X and W");
  if (ctx.input_type(0).dtype != DType::kFloat32) return ctx.error("FusedConv supports float32 only");
  auto act = FusedActivation::of(ctx.node());
  if (!act.is_ok()) return ctx.error(act.status().message());
  const OpDef* conv = conv_op();
  if (!conv) return ctx.error("no Conv kernel");
  EW_RETURN_IF_ERROR(conv->infer(ctx));
  if (ctx.has_input(3) && ctx.input_type(3).dtype != DType::kFloat32) return ctx.error("Z must be float32");
  return Status::ok();
}

Status run_fused_conv(KernelContext& ctx) {
  auto act = FusedActivation::of(ctx.node());
  if (!act.is_ok()) return ctx.error(act.status().message());
  std::vector<const Tensor*> conv_in;
  for (int i = 0; i < std::min(ctx.num_inputs(), 3); ++i) conv_in.push_back(ctx.has_input(i) ? &ctx.input(i) : nullptr);
  std::vector<Tensor> out{ctx.output(0)};  // shares the allocated bytes
  KernelContext conv_ctx(ctx.node(), 11, conv_in, &out, nullptr, ctx.threadpool());
  EW_RETURN_IF_ERROR(conv_op()->run(conv_ctx));
  Tensor& y = ctx.output(0);
  if (!y.shares_buffer_with(out[0])) y = out[0];
  float* data = y.data<float>();
  if (ctx.has_input(3)) {
    const Tensor& z = ctx.input(3);
    if (z.dtype() != DType::kFloat32 || z.shape() != y.shape())
      return ctx.error("Z " + z.describe() + " must match Y " + y.describe());
    for (int64_t i = 0; i < y.numel(); ++i) data[i] += z.data<float>()[i];
  }
  act->apply(data, y.numel());
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "FusedConv", .domain = "com.microsoft", .since_version = 1, .infer = infer_fused_conv,
               .run = run_fused_conv);

}  // namespace ew
