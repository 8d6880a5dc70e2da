// Fast fp32 Conv and com.microsoft::FusedConv for weights that are inputs
// (training graphs; constant weights go to the backends and Winograd): per
// chunk of images and group, col gathered into sgemm's packed layout and
// Y_g = W_g · col (conv_gemm.h); bias and a Relu/Clip are applied by sgemm as
// it writes Y, FusedConv's Z and other activations in a pass per output row.
// Any group, stride, dilation and padding, 1 to 3 spatial axes. Depthwise and
// 3x3 stride-1 layers are offered to their own kernels first (priority).
#include <atomic>
#include <cmath>
#include <cstring>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"

namespace ew::fast {
namespace {

class ConvKernel final : public PreparedKernel {
 public:
  ConvNode node;
  ConvGemm c;
  bool gemm_epilogue = false;  // bias and activation applied by sgemm (no Z, Relu/Clip or none)

  Status run(KernelContext& ctx) override {
    EW_RETURN_IF_ERROR(check_conv_inputs(ctx, node, "conv_sgemm"));
    const float* b = node.has_bias ? ctx.input(2).data<float>() : nullptr;
    const float* z = node.z_input >= 0 ? ctx.input(node.z_input).data<float>() : nullptr;
    const int64_t workers = std::min(pool_threads(ctx.threadpool()), c.chunks);
    pthreadpool_t gemm_pool = workers > 1 ? nullptr : ctx.threadpool();
    std::atomic<bool> failed{false};
    run_ranges(ctx.threadpool(), workers, c.chunks, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k)
        if (!run_chunk(k, ctx.input(0).data<float>(), ctx.input(1).data<float>(), b, z, ctx.output(0).data<float>(),
                       gemm_pool))
          failed = true;
    });
    return failed ? resource_exhausted("conv_sgemm: out of memory for scratch") : Status::ok();
  }

 private:
  bool run_chunk(int64_t chunk, const float* x, const float* w, const float* b, const float* z, float* y,
                 pthreadpool_t pool) const {
    const int64_t i0 = c.first_image(chunk), n = c.images(chunk), cols = n * c.P, width = c.max_columns();
    const int64_t packed_size = packed_b_size(c.K, width);
    float* packed = thread_scratch(packed_size + c.Mg * width + c.padded_floats());
    if (!packed) return false;
    float* temp = packed + packed_size;
    float* padded = temp + c.Mg * width;
    const int64_t M = c.s.maps, P = c.P;
    for (int64_t g = 0; g < c.s.group; ++g) {
      if (c.pointwise && n == 1) {
        pack_b(x + (i0 * c.s.channels + g * c.Cg) * c.plane, c.K, P, P, 1, packed);
      } else {
        pack_col(c, gather_source(c, x, i0, n, g, padded), n, packed);
      }
      SgemmShape s;  // Y_g[Mg, cols] = W_g[Mg, K] · col[K, cols]
      s.M = c.Mg;
      s.N = cols;
      s.K = c.K;
      s.rsa = c.K;
      s.ldc = n == 1 ? P : cols;
      if (gemm_epilogue) {  // bias and Relu/Clip as the GEMM writes Y: no second pass over it
        s.row_bias = b ? b + g * c.Mg : nullptr;
        s.clamp = node.act.kind != FusedActivation::Kind::kNone;
        s.clamp_min = node.act.kind == FusedActivation::Kind::kRelu ? 0.0f : node.act.alpha;
        s.clamp_max = node.act.kind == FusedActivation::Kind::kRelu ? INFINITY : node.act.beta;
      }
      float* out = n == 1 ? y + (i0 * M + g * c.Mg) * P : temp;
      sgemm(s, w + g * c.Mg * c.K, packed, out, pool);
      if (n > 1)
        for (int64_t m = 0; m < c.Mg; ++m)
          for (int64_t i = 0; i < n; ++i)
            std::memcpy(y + ((i0 + i) * M + g * c.Mg + m) * P, temp + m * cols + i * P, sizeof(float) * P);
    }
    if (gemm_epilogue && c.K > 0) return true;  // (with K == 0 sgemm only zeroes Y)
    for (int64_t i = i0; i < i0 + n; ++i)
      for (int64_t m = 0; m < M; ++m)
        conv_epilogue(y + (i * M + m) * P, P, b ? b[m] : 0.0f, z ? z + (i * M + m) * P : nullptr, node.act);
    return true;
  }
};

Prepared prepare_conv_impl(const PrepareContext& ctx, bool fused) {
  auto k = std::make_unique<ConvKernel>();
  if (!read_conv_node(ctx, fused, &k->node)) return not_handled();
  if (!make_conv_gemm(k->node.s, &k->c)) return not_handled();
  using Kind = FusedActivation::Kind;
  const Kind act = k->node.act.kind;
  k->gemm_epilogue = k->node.z_input < 0 && (act == Kind::kNone || act == Kind::kRelu || act == Kind::kClip);
  return prepared(std::move(k));
}

Prepared prepare_conv(const PrepareContext& ctx) { return prepare_conv_impl(ctx, false); }
Prepared prepare_fused_conv(const PrepareContext& ctx) { return prepare_conv_impl(ctx, true); }

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Conv", .name = "conv_sgemm", .prepare = prepare_conv);
EW_REGISTER_FAST_KERNEL(.op_type = "FusedConv", .domain = "com.microsoft", .name = "conv_sgemm",
                        .prepare = prepare_fused_conv);

}  // namespace ew::fast
