// Fast ConvGradInput(dY, W, X_like) -> dX: per chunk of images and group,
// col = W_gᵀ · dY_g on sgemm with dY packed once for all the chunk's images
// side by side (conv_gemm.h), then col2im into dX; a 1x1 stride-1 unpadded
// Conv's gradient of one image is written by the GEMM directly. Any group,
// stride, dilation and padding, 1 to 3 spatial axes. Depthwise and Winograd
// (3x3 stride 1) layers are offered to their own kernels first (priority).
#include <atomic>
#include <cstring>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"
#include "ops/grad/grad_domain.h"
#include "ops/nn/im2col.h"

namespace ew::fast {
namespace {

class ConvGradInputKernel final : public PreparedKernel {
 public:
  ConvGemm c;
  Shape dy_shape, w_shape, x_shape;

  Status run(KernelContext& ctx) override {
    const Tensor &dy = ctx.input(0), &w = ctx.input(1);
    if (dy.shape() != dy_shape || w.shape() != w_shape || ctx.output(0).shape() != x_shape)
      return ctx.error("sgemm: shapes differ from the prepared " + shape_to_string(dy_shape));
    const int64_t workers = std::min(pool_threads(ctx.threadpool()), c.chunks);
    pthreadpool_t gemm_pool = workers > 1 ? nullptr : ctx.threadpool();
    std::atomic<bool> failed{false};
    run_ranges(ctx.threadpool(), workers, c.chunks, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k)
        if (!run_chunk(k, dy.data<float>(), w.data<float>(), ctx.output(0).data<float>(), gemm_pool)) failed = true;
    });
    return failed ? resource_exhausted("ConvGradInput sgemm: out of memory for scratch") : Status::ok();
  }

 private:
  bool run_chunk(int64_t chunk, const float* dy, const float* w, float* dx, pthreadpool_t pool) const {
    const int64_t i0 = c.first_image(chunk), n = c.images(chunk), cols = n * c.P, width = c.max_columns();
    const int64_t packed_size = packed_b_size(c.Mg, width);
    float* packed = thread_scratch(packed_size + (c.Mg + c.K) * width);
    if (!packed) return false;
    float* rows = packed + packed_size;
    float* col = rows + c.Mg * width;
    const int64_t C = c.s.channels, direct = c.pointwise && n == 1;
    if (!c.pointwise) std::memset(dx + i0 * C * c.plane, 0, sizeof(float) * n * C * c.plane);
    for (int64_t g = 0; g < c.s.group; ++g) {
      if (n == 1) {
        pack_b(dy + (i0 * c.s.maps + g * c.Mg) * c.P, c.Mg, c.P, c.P, 1, packed);
      } else {
        gather_rows(dy, c.s.maps, c.P, i0, n, g * c.Mg, c.Mg, rows, cols);
        pack_b(rows, c.Mg, cols, cols, 1, packed);
      }
      SgemmShape s;  // col[K, cols] = W_gᵀ[K, Mg] · dY_g[Mg, cols]
      s.M = c.K;
      s.N = cols;
      s.K = c.Mg;
      s.rsa = 1;
      s.csa = c.K;
      s.ldc = direct ? c.P : cols;
      float* out = direct ? dx + (i0 * C + g * c.Cg) * c.plane : col;
      sgemm(s, w + g * c.Mg * c.K, packed, out, pool);
      if (direct) continue;
      for (int64_t i = 0; i < n; ++i) {
        float* dxi = dx + ((i0 + i) * C + g * c.Cg) * c.plane;
        if (c.pointwise) {
          for (int64_t r = 0; r < c.Cg; ++r)
            std::memcpy(dxi + r * c.plane, col + r * cols + i * c.P, sizeof(float) * c.P);
        } else {
          col2im_add(col + i * c.P, c.Cg, c.s.w, dxi, cols);
        }
      }
    }
    return true;
  }
};

Prepared prepare_conv_grad_input(const PrepareContext& ctx) {
  for (int i = 0; i < 3; ++i)
    if (!is_f32(ctx, i)) return not_handled();
  auto k = std::make_unique<ConvGradInputKernel>();
  k->dy_shape = input_shape(ctx, 0);
  k->w_shape = input_shape(ctx, 1);
  k->x_shape = input_shape(ctx, 2);
  auto geometry = conv_grad_shape(ctx.node, k->x_shape, k->w_shape, k->dy_shape);
  if (!geometry.is_ok()) return not_handled();
  if (!make_conv_gemm(*geometry, &k->c)) return not_handled();
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradInput", .domain = kGradDomain, .name = "sgemm",
                        .prepare = prepare_conv_grad_input);

}  // namespace ew::fast
