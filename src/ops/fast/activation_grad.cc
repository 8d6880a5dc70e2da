// Fast ActivationGrad(dy, x) for the piecewise activations (Relu, LeakyRelu,
// Clip, HardSigmoid, HardSwish, Abs): the reference's products dy · f'(x),
// with f'(x) selected by compare masks on 8 lanes (AVX2, chosen at run time;
// compilers keep the scalar select as a branch, which mispredicts on every
// other element of real gradients), over blocks split across the session's
// pool for large tensors. The same float operations as the reference:
// bit-identical, signed zeros and NaNs included.
// Smooth activations (Sigmoid, Tanh, Gelu, ...) stay on the reference kernel.
#include <string>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"
#include "ops/grad/grad_domain.h"

namespace ew::fast {
namespace {

enum class Kind { kRelu, kLeakyRelu, kClip, kHardSigmoid, kHardSwish, kAbs };

struct Params {
  const float* dy;
  const float* x;
  float* out;
  float a, b;
};

#define EW_INLINE inline __attribute__((always_inline))

template <Kind kind>
EW_INLINE float derivative(float x, float a, float b) {
  if constexpr (kind == Kind::kRelu) return x > 0 ? 1.0f : 0.0f;
  if constexpr (kind == Kind::kLeakyRelu) return x > 0 ? 1.0f : a;
  if constexpr (kind == Kind::kClip) return x > a && x < b ? 1.0f : 0.0f;
  if constexpr (kind == Kind::kHardSigmoid) {
    const float v = a * x + b;
    return v > 0 && v < 1 ? a : 0.0f;
  }
  if constexpr (kind == Kind::kHardSwish) return x < -3 ? 0.0f : x > 3 ? 1.0f : (2 * x + 3) / 6;
  return x > 0 ? 1.0f : x < 0 ? -1.0f : 0.0f;
}

template <Kind kind>
void block_portable(const Params& p, int64_t begin, int64_t count) {
  for (int64_t i = begin; i < begin + count; ++i) p.out[i] = p.dy[i] * derivative<kind>(p.x[i], p.a, p.b);
}

#ifdef EW_VEC_MATH_X86
#define EW_AG_AVX2 __attribute__((target("avx2,fma")))

// f'(x) on 8 lanes, by the reference's comparisons and arithmetic (no FMA).
template <Kind kind>
EW_AG_AVX2 inline __m256 derivative8(__m256 x, __m256 a, __m256 b) {
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
  if constexpr (kind == Kind::kRelu) return _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_GT_OQ), one);
  if constexpr (kind == Kind::kLeakyRelu) return _mm256_blendv_ps(a, one, _mm256_cmp_ps(x, zero, _CMP_GT_OQ));
  if constexpr (kind == Kind::kClip)
    return _mm256_and_ps(_mm256_and_ps(_mm256_cmp_ps(x, a, _CMP_GT_OQ), _mm256_cmp_ps(x, b, _CMP_LT_OQ)), one);
  if constexpr (kind == Kind::kHardSigmoid) {
    const __m256 v = _mm256_add_ps(_mm256_mul_ps(a, x), b);
    return _mm256_and_ps(_mm256_and_ps(_mm256_cmp_ps(v, zero, _CMP_GT_OQ), _mm256_cmp_ps(v, one, _CMP_LT_OQ)), a);
  }
  if constexpr (kind == Kind::kHardSwish) {
    const __m256 mid = _mm256_div_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(2.0f), x), _mm256_set1_ps(3.0f)),
                                     _mm256_set1_ps(6.0f));
    const __m256 upper = _mm256_blendv_ps(mid, one, _mm256_cmp_ps(x, _mm256_set1_ps(3.0f), _CMP_GT_OQ));
    return _mm256_blendv_ps(upper, zero, _mm256_cmp_ps(x, _mm256_set1_ps(-3.0f), _CMP_LT_OQ));
  }
  return _mm256_or_ps(_mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_GT_OQ), one),
                      _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_LT_OQ), _mm256_set1_ps(-1.0f)));
}

template <Kind kind>
EW_AG_AVX2 void block_avx2(const Params& p, int64_t begin, int64_t count) {
  const __m256 a = _mm256_set1_ps(p.a), b = _mm256_set1_ps(p.b);
  int64_t i = begin;
  for (; i + 8 <= begin + count; i += 8) {
    const __m256 d = derivative8<kind>(_mm256_loadu_ps(p.x + i), a, b);
    _mm256_storeu_ps(p.out + i, _mm256_mul_ps(_mm256_loadu_ps(p.dy + i), d));
  }
  block_portable<kind>(p, i, begin + count - i);
}
#endif

using BlockFn = void (*)(const Params&, int64_t, int64_t);

template <Kind kind>
BlockFn pick() {
#ifdef EW_VEC_MATH_X86
  if (cpu_has_avx2_fma()) return block_avx2<kind>;
#endif
  return block_portable<kind>;
}

constexpr size_t kBlock = 16384;  // elements per pool task (64 KiB of each operand)

class ActivationGradKernel final : public PreparedKernel {
 public:
  BlockFn fn = nullptr;
  float a = 0, b = 0;
  Shape shape;

  Status run(KernelContext& ctx) override {
    const Tensor &dy = ctx.input(0), &x = ctx.input(1);
    if (dy.shape() != shape || x.shape() != shape || ctx.output(0).shape() != shape)
      return ctx.error("ActivationGrad: shapes differ from the prepared " + shape_to_string(shape));
    Params p{dy.data<float>(), x.data<float>(), ctx.output(0).data<float>(), a, b};
    const size_t n = static_cast<size_t>(x.numel());
    if (!ctx.threadpool() || n < 2 * kBlock) {
      fn(p, 0, static_cast<int64_t>(n));
      return Status::ok();
    }
    struct Job {
      BlockFn fn;
      Params p;
    } job{fn, p};
    auto task = [](void* arg, size_t begin, size_t count) {
      const Job& j = *static_cast<const Job*>(arg);
      j.fn(j.p, static_cast<int64_t>(begin), static_cast<int64_t>(count));
    };
    pthreadpool_parallelize_1d_tile_1d(ctx.threadpool(), task, &job, n, kBlock, 0);
    return Status::ok();
  }
};

Prepared prepare_activation_grad(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1) || input_shape(ctx, 0) != input_shape(ctx, 1)) return not_handled();
  auto k = std::make_unique<ActivationGradKernel>();
  k->shape = input_shape(ctx, 1);
  k->a = ctx.node.attr_float("alpha", 0.0f);
  k->b = ctx.node.attr_float("beta", 0.0f);
  const std::string name = ctx.node.attr_string("activation", "");
  if (name == "Relu") k->fn = pick<Kind::kRelu>();
  else if (name == "LeakyRelu") k->fn = pick<Kind::kLeakyRelu>();
  else if (name == "Clip") k->fn = pick<Kind::kClip>();
  else if (name == "HardSigmoid") k->fn = pick<Kind::kHardSigmoid>();
  else if (name == "HardSwish") k->fn = pick<Kind::kHardSwish>();
  else if (name == "Abs") k->fn = pick<Kind::kAbs>();
  else return not_handled();
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ActivationGrad", .domain = kGradDomain, .name = "vectorized",
                        .prepare = prepare_activation_grad);

}  // namespace ew::fast
