// Fast BatchNormTraining (src/ops/grad/batch_norm_training.cc): the
// reference's formulas channel by channel, channels in parallel on the
// session's pool. A channel's values are read once from memory; the centred
// variance and Y passes over them hit the cache. Statistics are summed as
// batch_norm_channels.h describes; Y uses the reference's float operations.
#include <algorithm>
#include <cmath>

#include "ops/fast/batch_norm_channels.h"
#include "ops/fast/conv_gemm.h"
#include "ops/fast/vec_math.h"
#include "ops/grad/grad_domain.h"

namespace ew::fast {
namespace {

struct ForwardArgs {
  const float *x, *scale, *bias, *rmean, *rvar;
  float* y;
  float* out[4];  // running_mean_out, running_var_out, saved_mean, saved_inv_std (null when absent)
  double eps, momentum;
};

inline __attribute__((always_inline)) void forward_channel(const BatchNormChannels& s, const ForwardArgs& a,
                                                           int64_t c) {
  const double m = double(s.count());
  const double mean = channel_sum(s, c, [&](int64_t i) { return a.x[i]; }) / m;
  const float mf = static_cast<float>(mean);
  const double var = channel_sum(s, c, [&](int64_t i) { return (a.x[i] - mf) * (a.x[i] - mf); }) / m;
  const double inv = 1.0 / std::sqrt(var + a.eps);
  const float k = static_cast<float>(a.scale[c] * inv), b = static_cast<float>(a.bias[c] - mean * a.scale[c] * inv);
  for (int64_t n = 0; n < s.N; ++n) {
    const float* __restrict p = a.x + (n * s.C + c) * s.inner;
    float* __restrict q = a.y + (n * s.C + c) * s.inner;
    for (int64_t i = 0; i < s.inner; ++i) q[i] = k * p[i] + b;
  }
  const double unbiased = var * m / (m - 1);
  const double stats[4] = {a.momentum * a.rmean[c] + (1 - a.momentum) * mean,
                           a.momentum * a.rvar[c] + (1 - a.momentum) * unbiased, mean, inv};
  for (int o = 0; o < 4; ++o)
    if (a.out[o]) a.out[o][c] = static_cast<float>(stats[o]);
}

using ForwardFn = void (*)(const BatchNormChannels&, const ForwardArgs&, int64_t, int64_t);

void forward_portable(const BatchNormChannels& s, const ForwardArgs& a, int64_t c0, int64_t c1) {
  for (int64_t c = c0; c < c1; ++c) forward_channel(s, a, c);
}
#ifdef EW_VEC_MATH_X86
__attribute__((target("avx2,fma"))) void forward_avx2(const BatchNormChannels& s, const ForwardArgs& a, int64_t c0,
                                                      int64_t c1) {
  for (int64_t c = c0; c < c1; ++c) forward_channel(s, a, c);
}
#endif

class BatchNormTrainingKernel final : public PreparedKernel {
 public:
  BatchNormChannels s;
  Shape shape;
  double eps = 1e-5, momentum = 0.9;
  ForwardFn fn = forward_portable;

  Status run(KernelContext& ctx) override {
    if (ctx.input(0).shape() != shape || ctx.output(0).shape() != shape)
      return ctx.error("BatchNormTraining: X differs from the prepared " + shape_to_string(shape));
    for (int i = 1; i < 5; ++i)
      if (ctx.input(i).numel() != s.C) return ctx.error("BatchNormTraining: parameters must have C values");
    ForwardArgs a{ctx.input(0).data<float>(), ctx.input(1).data<float>(), ctx.input(2).data<float>(),
                  ctx.input(3).data<float>(), ctx.input(4).data<float>(), ctx.output(0).data<float>(), {},
                  eps, momentum};
    for (int o = 1; o < 5; ++o) a.out[o - 1] = ctx.has_output(o) ? ctx.output(o).data<float>() : nullptr;
    run_ranges(ctx.threadpool(), std::min(pool_threads(ctx.threadpool()), s.C), s.C,
               [&](int64_t c0, int64_t c1) { fn(s, a, c0, c1); });
    return Status::ok();
  }
};

Prepared prepare_batch_norm_training(const PrepareContext& ctx) {
  auto k = std::make_unique<BatchNormTrainingKernel>();
  if (!batch_norm_channels(ctx, 0, 1, 4, &k->s)) return not_handled();
  k->shape = input_shape(ctx, 0);
  k->eps = ctx.node.attr_float("epsilon", 1e-5f);
  k->momentum = ctx.node.attr_float("momentum", 0.9f);
#ifdef EW_VEC_MATH_X86
  if (cpu_has_avx2_fma()) k->fn = forward_avx2;
#endif
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "BatchNormTraining", .domain = kGradDomain, .name = "channels",
                        .prepare = prepare_batch_norm_training);

}  // namespace ew::fast
