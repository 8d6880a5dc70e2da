// Fast depthwise Conv / com.microsoft::FusedConv (group == channels == maps,
// 2-D) for weights that are inputs: one direct kernel per channel plane
// (depthwise.h), planes in parallel on the session's pool, then bias, Z and
// the activation. Offered nodes before conv_sgemm (priority).
#include <atomic>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/depthwise.h"
#include "ops/fast/prepare_util.h"

namespace ew::fast {
namespace {

class DepthwiseConvKernel final : public PreparedKernel {
 public:
  ConvNode node;
  Depthwise d;

  Status run(KernelContext& ctx) override {
    EW_RETURN_IF_ERROR(check_conv_inputs(ctx, node, "depthwise"));
    const float *x = ctx.input(0).data<float>(), *w = ctx.input(1).data<float>();
    const float* b = node.has_bias ? ctx.input(2).data<float>() : nullptr;
    const float* z = node.z_input >= 0 ? ctx.input(node.z_input).data<float>() : nullptr;
    float* y = ctx.output(0).data<float>();
    const DepthwiseKernels& k = depthwise_kernels();
    const int64_t planes = d.batch * d.channels, in = d.in_plane(), out = d.out_plane();
    std::atomic<bool> failed{false};
    run_ranges(ctx.threadpool(), std::min(pool_threads(ctx.threadpool()), planes), planes, [&](int64_t p0, int64_t p1) {
      float* padded = thread_scratch(std::max<int64_t>(1, d.ph * d.pw));
      if (!padded) return void(failed = true);
      for (int64_t p = p0; p < p1; ++p) {
        const int64_t c = p % d.channels;
        k.forward(d, x + p * in, w + c * d.taps(), y + p * out, padded);
        conv_epilogue(y + p * out, out, b ? b[c] : 0.0f, z ? z + p * out : nullptr, node.act);
      }
    });
    return failed ? resource_exhausted("depthwise: out of memory for scratch") : Status::ok();
  }
};

Prepared prepare_impl(const PrepareContext& ctx, bool fused) {
  auto k = std::make_unique<DepthwiseConvKernel>();
  if (!read_conv_node(ctx, fused, &k->node) || !depthwise_of(k->node.s, &k->d)) return not_handled();
  return prepared(std::move(k));
}

Prepared prepare_conv(const PrepareContext& ctx) { return prepare_impl(ctx, false); }
Prepared prepare_fused_conv(const PrepareContext& ctx) { return prepare_impl(ctx, true); }

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Conv", .name = "depthwise", .prepare = prepare_conv, .priority = 1);
EW_REGISTER_FAST_KERNEL(.op_type = "FusedConv", .domain = "com.microsoft", .name = "depthwise",
                        .prepare = prepare_fused_conv, .priority = 1);

}  // namespace ew::fast
