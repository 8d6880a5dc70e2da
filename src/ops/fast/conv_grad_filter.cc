// Fast ConvGradFilter(dY, X, W_like) -> dW: per chunk of images and group,
// dW_gᵀ[K, Mg] += col[K, cols] · dY_gᵀ[cols, Mg] on sgemm (conv_gemm.h; the
// chunk's images side by side make one long reduction, and a 1x1 stride-1
// unpadded Conv reads X itself as col). The batch is cut into at most kSlots
// contiguous slots, each summed in its own buffer (run in parallel on the
// session's pool), then the slots are added in order and transposed into dW:
// the cut does not depend on the thread count, so neither do the results.
// Any group, stride, dilation and padding, 1 to 3 spatial axes; depthwise
// layers are offered to their own kernel first (priority).
#include <atomic>
#include <cstring>
#include <vector>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"
#include "ops/grad/grad_domain.h"

namespace ew::fast {
namespace {

constexpr int64_t kSlots = 4;

class ConvGradFilterKernel final : public PreparedKernel {
 public:
  ConvGemm c;
  Shape dy_shape, x_shape, w_shape;
  int64_t slots = 1;
  Tensor partial;  // [slots][group][K][Mg]

  int64_t slot_size() const { return c.s.group * c.K * c.Mg; }

  Status run(KernelContext& ctx) override {
    const Tensor &dy = ctx.input(0), &x = ctx.input(1);
    if (dy.shape() != dy_shape || x.shape() != x_shape || ctx.output(0).shape() != w_shape)
      return ctx.error("sgemm: shapes differ from the prepared " + shape_to_string(dy_shape));
    pthreadpool_t pool = ctx.threadpool();
    const bool parallel = pool && slots > 1;
    std::atomic<bool> failed{false};
    run_ranges(parallel ? pool : nullptr, slots, slots, [&](int64_t begin, int64_t end) {
      for (int64_t s = begin; s < end; ++s)
        if (!run_slot(s, dy.data<float>(), x.data<float>(), parallel ? nullptr : pool)) failed = true;
    });
    if (failed) return resource_exhausted("ConvGradFilter sgemm: out of memory for scratch");
    reduce(ctx.output(0).data<float>());
    return Status::ok();
  }

 private:
  bool run_slot(int64_t slot, const float* dy, const float* x, pthreadpool_t pool) {
    float* acc = partial.data<float>() + slot * slot_size();
    std::memset(acc, 0, sizeof(float) * slot_size());
    const int64_t width = c.max_columns(), packed_size = packed_b_size(width, c.Mg);
    float* packed = thread_scratch(packed_size + c.K * width);
    if (!packed) return false;
    float* col = packed + packed_size;
    for (int64_t chunk = c.chunks * slot / slots; chunk < c.chunks * (slot + 1) / slots; ++chunk) {
      const int64_t i0 = c.first_image(chunk), n = c.images(chunk), cols = n * c.P;
      for (int64_t g = 0; g < c.s.group; ++g) {
        SgemmShape s;  // dW_gᵀ[K, Mg] += col[K, cols] · dY_gᵀ[cols, Mg]
        s.M = c.K;
        s.N = c.Mg;
        s.K = cols;
        s.ldc = c.Mg;
        s.accumulate = true;
        const float* a = col;
        if (c.pointwise && n == 1) {
          a = x + (i0 * c.s.channels + g * c.Cg) * c.plane;
        } else {
          im2col_images(c, x, i0, n, g, col, cols);
        }
        s.rsa = c.pointwise && n == 1 ? c.plane : cols;
        pack_dy_transposed(c, dy, i0, n, g, packed);
        sgemm(s, a, packed, acc + g * c.K * c.Mg, pool);
      }
    }
    return true;
  }

  // dW[g·Mg + m][k] = Σ_slots partial[slot][g][k][m], slots in order.
  void reduce(float* dw) const {
    const float* p = partial.data<float>();
    for (int64_t g = 0; g < c.s.group; ++g)
      for (int64_t m = 0; m < c.Mg; ++m) {
        float* out = dw + (g * c.Mg + m) * c.K;
        const float* src = p + g * c.K * c.Mg + m;
        for (int64_t k = 0; k < c.K; ++k) out[k] = src[k * c.Mg];
        for (int64_t s = 1; s < slots; ++s) {
          const float* more = src + s * slot_size();
          for (int64_t k = 0; k < c.K; ++k) out[k] += more[k * c.Mg];
        }
      }
  }
};

Prepared prepare_conv_grad_filter(const PrepareContext& ctx) {
  for (int i = 0; i < 3; ++i)
    if (!is_f32(ctx, i)) return not_handled();
  auto k = std::make_unique<ConvGradFilterKernel>();
  k->dy_shape = input_shape(ctx, 0);
  k->x_shape = input_shape(ctx, 1);
  k->w_shape = input_shape(ctx, 2);
  auto geometry = conv_grad_shape(ctx.node, k->x_shape, k->w_shape, k->dy_shape);
  if (!geometry.is_ok()) return not_handled();
  k->c = make_conv_gemm(*geometry);
  k->slots = std::max<int64_t>(1, std::min(kSlots, k->c.chunks));
  EW_ASSIGN_OR_RETURN(k->partial, scratch_floats(k->slots * k->slot_size()));
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradFilter", .domain = kGradDomain, .name = "sgemm",
                        .prepare = prepare_conv_grad_filter);

}  // namespace ew::fast
