// Fast depthwise Conv / com.microsoft::FusedConv (group == channels == maps,
// 2-D) for weights that are inputs: direct kernels on blocks of 8 channels of
// one image (depthwise.h), blocks in parallel on the session's pool, then
// bias, Z and the activation per plane. Offered nodes before conv_sgemm (priority).
#include "ops/fast/conv_gemm.h"
#include "ops/fast/depthwise.h"
#include "ops/fast/depthwise_tasks.h"
#include "ops/fast/prepare_util.h"

namespace ew::fast {
namespace {

class DepthwiseConvKernel final : public PreparedKernel {
 public:
  ConvNode node;
  Depthwise d;
  bool fused = false;           // bias and Relu/Clip applied by the kernel as it stores (no Z)
  DepthwiseEpilogue epilogue;   // its clamp

  Status run(KernelContext& ctx) override {
    EW_RETURN_IF_ERROR(check_conv_inputs(ctx, node, "depthwise"));
    const float *x = ctx.input(0).data<float>(), *w = ctx.input(1).data<float>();
    const float* b = node.has_bias ? ctx.input(2).data<float>() : nullptr;
    const float* z = node.z_input >= 0 ? ctx.input(node.z_input).data<float>() : nullptr;
    float* y = ctx.output(0).data<float>();
    const DepthwiseKernels& k = depthwise_kernels();
    const int64_t C = d.channels, in = d.in_plane(), out = d.out_plane();
    return for_each_channel_block(ctx, d, [&](int64_t n, int64_t c0, int64_t lanes, float* scratch) {
      float* yb = y + (n * C + c0) * out;
      DepthwiseEpilogue e = fused ? epilogue : DepthwiseEpilogue{};
      e.bias = fused && b ? b + c0 : nullptr;
      k.forward(d, lanes, x + (n * C + c0) * in, w + c0 * d.taps(), e, yb, scratch);
      if (!fused)
        for (int64_t l = 0; l < lanes; ++l)
          conv_epilogue(yb + l * out, out, b ? b[c0 + l] : 0.0f, z ? z + (n * C + c0 + l) * out : nullptr, node.act);
    });
  }
};

Prepared prepare_impl(const PrepareContext& ctx, bool fused) {
  auto k = std::make_unique<DepthwiseConvKernel>();
  if (!read_conv_node(ctx, fused, &k->node) || !depthwise_of(k->node.s, &k->d)) return not_handled();
  using Kind = FusedActivation::Kind;
  const FusedActivation& act = k->node.act;
  k->fused = k->node.z_input < 0 && (act.kind == Kind::kNone || act.kind == Kind::kRelu || act.kind == Kind::kClip);
  if (act.kind == Kind::kRelu) k->epilogue.lo = 0.0f;
  if (act.kind == Kind::kClip) k->epilogue.lo = act.alpha, k->epilogue.hi = act.beta;
  return prepared(std::move(k));
}

Prepared prepare_conv(const PrepareContext& ctx) { return prepare_impl(ctx, false); }
Prepared prepare_fused_conv(const PrepareContext& ctx) { return prepare_impl(ctx, true); }

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Conv", .name = "depthwise", .prepare = prepare_conv, .priority = 1);
EW_REGISTER_FAST_KERNEL(.op_type = "FusedConv", .domain = "com.microsoft", .name = "depthwise",
                        .prepare = prepare_fused_conv, .priority = 1);

}  // namespace ew::fast
