// Fast fp32 Erf and Gelu (exact form, 0.5 * x * (1 + erf(x / sqrt(2)))) with
// the vectorized erf of vec_math.h (abs error ~1.3e-7). Gelu is registered
// for the ONNX op (opset 20, approximate="none" only) and com.microsoft's.
// Large tensors are split in chunks across the thread pool.
#include <algorithm>
#include <cmath>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"

namespace ew::fast {
namespace {

constexpr int64_t kChunk = 16384;

#ifdef EW_VEC_MATH_X86
struct ErfLanes {
  __attribute__((target("avx2,fma"))) __m256 operator()(__m256 x) const { return erf_ps(x); }
};
struct GeluLanes {
  __attribute__((target("avx2,fma"))) __m256 operator()(__m256 x) const {
    const __m256 e = erf_ps(_mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f)));
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
  }
};

__attribute__((target("avx2,fma"))) void chunk_avx2(const float* x, float* y, int64_t n, bool gelu) {
  if (gelu) map_ps(x, y, n, GeluLanes{});
  else map_ps(x, y, n, ErfLanes{});
}
#endif

void chunk_scalar(const float* x, float* y, int64_t n, bool gelu) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = gelu ? 0.5f * x[i] * (1.0f + std::erf(x[i] * 0.70710678118654752f)) : std::erf(x[i]);
}

struct Job {
  const float* x;
  float* y;
  int64_t n;
  bool gelu, avx2;
};

void run_chunk(void* arg, size_t task) {
  const Job& j = *static_cast<const Job*>(arg);
  const int64_t i0 = static_cast<int64_t>(task) * kChunk, len = std::min(kChunk, j.n - i0);
#ifdef EW_VEC_MATH_X86
  if (j.avx2) return chunk_avx2(j.x + i0, j.y + i0, len, j.gelu);
#endif
  chunk_scalar(j.x + i0, j.y + i0, len, j.gelu);
}

class ErfKernel final : public PreparedKernel {
 public:
  bool gelu = false;

  Status run(KernelContext& ctx) override {
    Job j{ctx.input(0).data<float>(), ctx.output(0).data<float>(), ctx.input(0).numel(), gelu, cpu_has_avx2_fma()};
    const size_t tasks = static_cast<size_t>((j.n + kChunk - 1) / kChunk);
    if (!ctx.threadpool() || tasks <= 1) {
      for (size_t t = 0; t < tasks; ++t) run_chunk(&j, t);
      return Status::ok();
    }
    pthreadpool_parallelize_1d(ctx.threadpool(), run_chunk, &j, tasks, 0);
    return Status::ok();
  }
};

Prepared prepare_erf(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0)) return not_handled();
  return prepared(std::make_unique<ErfKernel>());
}

Prepared prepare_gelu(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || ctx.node.attr_string("approximate", "none") != "none") return not_handled();
  auto k = std::make_unique<ErfKernel>();
  k->gelu = true;
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Erf", .since_version = 9, .name = "erf_vec", .prepare = prepare_erf);
EW_REGISTER_FAST_KERNEL(.op_type = "Gelu", .since_version = 20, .name = "gelu_erf", .prepare = prepare_gelu);
EW_REGISTER_FAST_KERNEL(.op_type = "Gelu", .domain = "com.microsoft", .name = "gelu_erf", .prepare = prepare_gelu);

}  // namespace ew::fast
