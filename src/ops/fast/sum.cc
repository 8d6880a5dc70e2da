// Fast fp32 Sum of 2 or more inputs of one shape (the gradient builder adds
// the gradients reaching one value with it): one vectorized pass adding the
// inputs in order, as the reference does element by element, so results are
// bit-identical; blocks split over the session's pool for large tensors.
// Broadcasting Sums stay on the reference kernel.
#include <vector>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"

namespace ew::fast {
namespace {

constexpr size_t kBlock = 16384;  // elements per pool task

struct Job {
  const float* const* in;
  size_t count;
  float* out;
};

inline __attribute__((always_inline)) void add_block(const Job& j, size_t begin, size_t n) {
  float* __restrict y = j.out + begin;
  const float* __restrict a = j.in[0] + begin;
  const float* __restrict b = j.in[1] + begin;
  for (size_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
  for (size_t k = 2; k < j.count; ++k) {
    const float* __restrict c = j.in[k] + begin;
    for (size_t i = 0; i < n; ++i) y[i] += c[i];
  }
}

void add_portable(void* arg, size_t begin, size_t n) { add_block(*static_cast<const Job*>(arg), begin, n); }
#ifdef EW_VEC_MATH_X86
__attribute__((target("avx2,fma"))) void add_avx2(void* arg, size_t begin, size_t n) {
  add_block(*static_cast<const Job*>(arg), begin, n);
}
#endif

class SumKernel final : public PreparedKernel {
 public:
  Shape shape;
  std::vector<const float*> inputs;  // filled per run; sized at prepare
  void (*fn)(void*, size_t, size_t) = add_portable;

  Status run(KernelContext& ctx) override {
    for (size_t k = 0; k < inputs.size(); ++k) {
      const Tensor& t = ctx.input(static_cast<int>(k));
      if (t.shape() != shape)
        return ctx.error("Sum: input " + std::to_string(k) + " differs from " + shape_to_string(shape));
      inputs[k] = t.data<float>();
    }
    if (ctx.output(0).shape() != shape) return ctx.error("Sum: output is not " + shape_to_string(shape));
    Job job{inputs.data(), inputs.size(), ctx.output(0).data<float>()};
    const size_t n = static_cast<size_t>(ctx.output(0).numel());
    if (!ctx.threadpool() || n < 2 * kBlock) {
      fn(&job, 0, n);
      return Status::ok();
    }
    pthreadpool_parallelize_1d_tile_1d(ctx.threadpool(), fn, &job, n, kBlock, 0);
    return Status::ok();
  }
};

Prepared prepare_sum(const PrepareContext& ctx) {
  const int n = static_cast<int>(ctx.input_types.size());
  if (n < 2) return not_handled();
  auto k = std::make_unique<SumKernel>();
  k->shape = is_f32(ctx, 0) ? input_shape(ctx, 0) : Shape{};
  for (int i = 0; i < n; ++i)
    if (!is_f32(ctx, i) || input_shape(ctx, i) != k->shape) return not_handled();
  k->inputs.resize(static_cast<size_t>(n));
#ifdef EW_VEC_MATH_X86
  if (cpu_has_avx2_fma()) k->fn = add_avx2;
#endif
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Sum", .since_version = 1, .name = "vectorized", .prepare = prepare_sum);

}  // namespace ew::fast
