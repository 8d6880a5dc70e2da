// Fast fp32 Conv and com.microsoft::FusedConv for weights that are inputs
// (training graphs; constant weights go to the backends and Winograd): per
// chunk of images and group, im2col packed for sgemm and Y_g = W_g · col
// (conv_gemm.h), then bias, FusedConv's Z and activation per output row.
// Any group, stride, dilation and padding, 1 to 3 spatial axes. Depthwise and
// 3x3 stride-1 layers are offered to their own kernels first (priority).
#include <atomic>
#include <cstring>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"

namespace ew::fast {
namespace {

class ConvKernel final : public PreparedKernel {
 public:
  ConvGemm c;
  Shape x_shape, w_shape, y_shape;
  FusedActivation act;
  bool has_bias = false;
  int z_input = -1;

  Status run(KernelContext& ctx) override {
    const Tensor &x = ctx.input(0), &w = ctx.input(1);
    if (x.shape() != x_shape || w.shape() != w_shape || ctx.output(0).shape() != y_shape)
      return ctx.error("conv_sgemm: shapes differ from the prepared " + shape_to_string(x_shape));
    const float* b = has_bias ? ctx.input(2).data<float>() : nullptr;
    const float* z = z_input >= 0 ? ctx.input(z_input).data<float>() : nullptr;
    if (has_bias && ctx.input(2).numel() != c.s.maps) return ctx.error("conv_sgemm: B must have M values");
    if (z && ctx.input(z_input).shape() != y_shape) return ctx.error("conv_sgemm: Z must have Y's shape");
    const int64_t workers = std::min(pool_threads(ctx.threadpool()), c.chunks);
    pthreadpool_t gemm_pool = workers > 1 ? nullptr : ctx.threadpool();
    std::atomic<bool> failed{false};
    run_ranges(ctx.threadpool(), workers, c.chunks, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k)
        if (!run_chunk(k, x.data<float>(), w.data<float>(), b, z, ctx.output(0).data<float>(), gemm_pool))
          failed = true;
    });
    return failed ? resource_exhausted("conv_sgemm: out of memory for scratch") : Status::ok();
  }

 private:
  bool run_chunk(int64_t chunk, const float* x, const float* w, const float* b, const float* z, float* y,
                 pthreadpool_t pool) const {
    const int64_t i0 = c.first_image(chunk), n = c.images(chunk), cols = n * c.P, width = c.max_columns();
    const int64_t packed_size = packed_b_size(c.K, width);
    float* packed = thread_scratch(packed_size + (c.K + c.Mg) * width);
    if (!packed) return false;
    float* col = packed + packed_size;
    float* temp = col + c.K * width;
    const int64_t M = c.s.maps, P = c.P;
    for (int64_t g = 0; g < c.s.group; ++g) {
      if (c.pointwise && n == 1) {
        pack_b(x + (i0 * c.s.channels + g * c.Cg) * c.plane, c.K, P, P, 1, packed);
      } else {
        im2col_images(c, x, i0, n, g, col, cols);
        pack_b(col, c.K, cols, cols, 1, packed);
      }
      SgemmShape s;
      s.M = c.Mg;
      s.N = cols;
      s.K = c.K;
      s.rsa = c.K;
      s.ldc = n == 1 ? P : cols;
      float* out = n == 1 ? y + (i0 * M + g * c.Mg) * P : temp;
      sgemm(s, w + g * c.Mg * c.K, packed, out, pool);
      if (n > 1)
        for (int64_t m = 0; m < c.Mg; ++m)
          for (int64_t i = 0; i < n; ++i)
            std::memcpy(y + ((i0 + i) * M + g * c.Mg + m) * P, temp + m * cols + i * P, sizeof(float) * P);
    }
    for (int64_t i = i0; i < i0 + n; ++i)
      for (int64_t m = 0; m < M; ++m)
        conv_epilogue(y + (i * M + m) * P, P, b ? b[m] : 0.0f, z ? z + (i * M + m) * P : nullptr, act);
    return true;
  }
};

Prepared prepare_conv_impl(const PrepareContext& ctx, bool fused) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1) || constant_input(ctx, 1)) return not_handled();
  if (ctx.output_types.empty() || ctx.output_types[0].dtype != DType::kFloat32 || !ctx.output_types[0].fully_known())
    return not_handled();
  auto k = std::make_unique<ConvKernel>();
  k->x_shape = input_shape(ctx, 0);
  k->w_shape = input_shape(ctx, 1);
  k->y_shape = ctx.output_types[0].concrete_shape();
  auto geometry = conv_grad_shape(ctx.node, k->x_shape, k->w_shape, k->y_shape);
  if (!geometry.is_ok()) return not_handled();
  k->c = make_conv_gemm(*geometry);
  if (has_input(ctx, 2)) {
    if (!is_f32(ctx, 2) || input_shape(ctx, 2) != Shape{k->c.s.maps}) return not_handled();
    k->has_bias = true;
  }
  if (fused) {
    auto act = FusedActivation::of(ctx.node);
    if (!act.is_ok()) return not_handled();
    k->act = *act;
    if (has_input(ctx, 3)) {
      if (!is_f32(ctx, 3) || input_shape(ctx, 3) != k->y_shape) return not_handled();
      k->z_input = 3;
    }
  } else if (ctx.input_types.size() > 3) {
    return not_handled();
  }
  return prepared(std::move(k));
}

Prepared prepare_conv(const PrepareContext& ctx) { return prepare_conv_impl(ctx, false); }
Prepared prepare_fused_conv(const PrepareContext& ctx) { return prepare_conv_impl(ctx, true); }

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Conv", .name = "conv_sgemm", .prepare = prepare_conv);
EW_REGISTER_FAST_KERNEL(.op_type = "FusedConv", .domain = "com.microsoft", .name = "conv_sgemm",
                        .prepare = prepare_fused_conv);

}  // namespace ew::fast
