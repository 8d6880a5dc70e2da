// Fast BatchNormTrainingGrad (src/ops/grad/batch_norm_training_grad.cc): the
// reference's formulas channel by channel, channels in parallel on the
// session's pool. dY and X of a channel are read once from memory for the two
// sums (dB, dscale); the dX pass over them hits the cache. Sums as
// batch_norm_channels.h describes; dX uses the reference's float operations.
#include <algorithm>

#include "ops/fast/batch_norm_channels.h"
#include "ops/fast/conv_gemm.h"
#include "ops/fast/vec_math.h"
#include "ops/grad/grad_domain.h"

namespace ew::fast {
namespace {

struct GradArgs {
  const float *dy, *x, *scale, *mean, *inv;
  float *dx, *dscale, *dbias;
};

inline __attribute__((always_inline)) void grad_channel(const BatchNormChannels& s, const GradArgs& a, int64_t c) {
  const float mu = a.mean[c], iv = a.inv[c];
  const double db = channel_sum(s, c, [&](int64_t i) { return a.dy[i]; });
  const double ds = channel_sum(s, c, [&](int64_t i) { return a.dy[i] * ((a.x[i] - mu) * iv); });
  if (a.dscale) a.dscale[c] = static_cast<float>(ds);
  if (a.dbias) a.dbias[c] = static_cast<float>(db);
  const double m = double(s.count());
  const float k = static_cast<float>(a.scale[c] * iv / m), mf = static_cast<float>(m);
  const float mb = static_cast<float>(db), ms = static_cast<float>(ds);
  for (int64_t n = 0; n < s.N; ++n) {
    const int64_t base = (n * s.C + c) * s.inner;
    const float* __restrict g = a.dy + base;
    const float* __restrict p = a.x + base;
    float* __restrict q = a.dx + base;
    for (int64_t i = 0; i < s.inner; ++i) q[i] = k * (mf * g[i] - mb - ((p[i] - mu) * iv) * ms);
  }
}

using GradFn = void (*)(const BatchNormChannels&, const GradArgs&, int64_t, int64_t);

void grad_portable(const BatchNormChannels& s, const GradArgs& a, int64_t c0, int64_t c1) {
  for (int64_t c = c0; c < c1; ++c) grad_channel(s, a, c);
}
#ifdef EW_VEC_MATH_X86
__attribute__((target("avx2,fma"))) void grad_avx2(const BatchNormChannels& s, const GradArgs& a, int64_t c0,
                                                   int64_t c1) {
  for (int64_t c = c0; c < c1; ++c) grad_channel(s, a, c);
}
#endif

class BatchNormTrainingGradKernel final : public PreparedKernel {
 public:
  BatchNormChannels s;
  Shape shape;
  GradFn fn = grad_portable;

  Status run(KernelContext& ctx) override {
    if (ctx.input(0).shape() != shape || ctx.input(1).shape() != shape || ctx.output(0).shape() != shape)
      return ctx.error("BatchNormTrainingGrad: dY and X differ from the prepared " + shape_to_string(shape));
    for (int i = 2; i < 5; ++i)
      if (ctx.input(i).numel() != s.C) return ctx.error("BatchNormTrainingGrad: parameters must have C values");
    GradArgs a{ctx.input(0).data<float>(),  ctx.input(1).data<float>(), ctx.input(2).data<float>(),
               ctx.input(3).data<float>(),  ctx.input(4).data<float>(), ctx.output(0).data<float>(),
               ctx.has_output(1) ? ctx.output(1).data<float>() : nullptr,
               ctx.has_output(2) ? ctx.output(2).data<float>() : nullptr};
    run_ranges(ctx.threadpool(), std::min(pool_threads(ctx.threadpool()), s.C), s.C,
               [&](int64_t c0, int64_t c1) { fn(s, a, c0, c1); });
    return Status::ok();
  }
};

Prepared prepare_batch_norm_training_grad(const PrepareContext& ctx) {
  auto k = std::make_unique<BatchNormTrainingGradKernel>();
  if (!batch_norm_channels(ctx, 1, 2, 4, &k->s) || input_shape(ctx, 0) != input_shape(ctx, 1)) return not_handled();
  k->shape = input_shape(ctx, 1);
#ifdef EW_VEC_MATH_X86
  if (cpu_has_avx2_fma()) k->fn = grad_avx2;
#endif
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "BatchNormTrainingGrad", .domain = kGradDomain, .name = "channels",
                        .prepare = prepare_batch_norm_training_grad);

}  // namespace ew::fast
