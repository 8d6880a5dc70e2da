// Fast ConvGradInput and ConvGradFilter of depthwise 2-D convolutions (group
// == channels == maps) with direct kernels on blocks of 8 channels
// (depthwise.h), offered nodes before the sgemm kernels (priority).
// ConvGradInput runs (image, block) pairs in parallel; ConvGradFilter the
// blocks, each summing its images in order, so results do not depend on the
// thread count.
#include <atomic>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/depthwise.h"
#include "ops/fast/depthwise_tasks.h"
#include "ops/fast/prepare_util.h"
#include "ops/grad/grad_domain.h"

namespace ew::fast {
namespace {

class DepthwiseGradKernel : public PreparedKernel {
 public:
  Shape shapes[3];  // the node's inputs: (dY, W, X_like) or (dY, X, W_like)
  Depthwise d;

 protected:
  Status check(KernelContext& ctx, const Shape& out) const {
    for (int i = 0; i < 3; ++i)
      if (!ctx.has_input(i) || ctx.input(i).dtype() != DType::kFloat32 || ctx.input(i).shape() != shapes[i])
        return ctx.error("depthwise: input " + std::to_string(i) + " differs from the prepared " +
                         shape_to_string(shapes[i]));
    if (ctx.output(0).shape() != out) return ctx.error("depthwise: output is not " + shape_to_string(out));
    return Status::ok();
  }
};

class InputGradKernel final : public DepthwiseGradKernel {
 public:
  Status run(KernelContext& ctx) override {
    EW_RETURN_IF_ERROR(check(ctx, shapes[2]));
    const float *dy = ctx.input(0).data<float>(), *w = ctx.input(1).data<float>();
    float* dx = ctx.output(0).data<float>();
    const DepthwiseKernels& k = depthwise_kernels();
    const int64_t C = d.channels, in = d.in_plane(), out = d.out_plane();
    return for_each_channel_block(ctx, d, [&](int64_t n, int64_t c0, int64_t lanes, float* scratch) {
      k.input_grad(d, lanes, dy + (n * C + c0) * out, w + c0 * d.taps(), dx + (n * C + c0) * in, scratch);
    });
  }
};

class FilterGradKernel final : public DepthwiseGradKernel {
 public:
  bool with_bias = false;  // output 1: the bias gradient

  Status run(KernelContext& ctx) override {
    EW_RETURN_IF_ERROR(check(ctx, shapes[2]));
    const float *dy = ctx.input(0).data<float>(), *x = ctx.input(1).data<float>();
    float* dw = ctx.output(0).data<float>();
    float* db = with_bias && ctx.has_output(1) ? ctx.output(1).data<float>() : nullptr;
    if (db && ctx.output(1).numel() != d.channels) return ctx.error("depthwise: dB must have C values");
    const DepthwiseKernels& k = depthwise_kernels();
    const int64_t C = d.channels, blocks = d.blocks(), taps = d.taps(), in = d.in_plane(), out = d.out_plane();
    constexpr int64_t L = kDepthwiseLanes;
    std::atomic<bool> failed{false};
    run_ranges(ctx.threadpool(), std::min(pool_threads(ctx.threadpool()), blocks), blocks, [&](int64_t b0, int64_t b1) {
      float* acc = thread_scratch((taps + 1) * L + d.scratch_floats());
      if (!acc) return void(failed = true);
      float* sums = acc + taps * L;
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t c0 = b * L, lanes = std::min(L, C - c0);
        std::fill(acc, acc + taps * L, 0.0f);
        double bias[L] = {};
        for (int64_t n = 0; n < d.batch; ++n) {
          k.filter_grad(d, lanes, dy + (n * C + c0) * out, x + (n * C + c0) * in, acc, db ? sums : nullptr,
                        sums + L);
          if (db)
            for (int64_t l = 0; l < L; ++l) bias[l] += sums[l];
        }
        for (int64_t l = 0; l < lanes; ++l) {
          for (int64_t t = 0; t < taps; ++t) dw[(c0 + l) * taps + t] = acc[t * L + l];
          if (db) db[c0 + l] = static_cast<float>(bias[l]);
        }
      }
    });
    return failed ? resource_exhausted("depthwise: out of memory for scratch") : Status::ok();
  }
};

// x, w, dy: indices of the forward X, W and dY among the node's inputs.
template <typename K>
Prepared prepare_grad(const PrepareContext& ctx, int x, int w) {
  for (int i = 0; i < 3; ++i)
    if (!is_f32(ctx, i)) return not_handled();
  auto k = std::make_unique<K>();
  for (int i = 0; i < 3; ++i) k->shapes[i] = input_shape(ctx, i);
  auto geometry = conv_grad_shape(ctx.node, k->shapes[x], k->shapes[w], k->shapes[0]);
  if (!geometry.is_ok() || !depthwise_of(*geometry, &k->d)) return not_handled();
  return prepared(std::move(k));
}

Prepared prepare_input_grad(const PrepareContext& ctx) { return prepare_grad<InputGradKernel>(ctx, 2, 1); }
Prepared prepare_filter_grad(const PrepareContext& ctx) {
  auto k = prepare_grad<FilterGradKernel>(ctx, 1, 2);
  if (!k.is_ok() || !k.value()) return k;
  if (ctx.output_types.size() > 1 && ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty()) {
    if (ctx.output_types[1].concrete_shape() != Shape{ctx.input_types[2].concrete_shape()[0]}) return not_handled();
    static_cast<FilterGradKernel*>(k.value().get())->with_bias = true;
  }
  return k;
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradInput", .domain = kGradDomain, .name = "depthwise",
                        .prepare = prepare_input_grad, .priority = 1);
EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradFilter", .domain = kGradDomain, .name = "depthwise",
                        .prepare = prepare_filter_grad, .priority = 1);

}  // namespace ew::fast
