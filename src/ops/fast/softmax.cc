// Fast fp32 Softmax / LogSoftmax over contiguous rows: the last axis from
// opset 13, and the 2-D coercion [prod(dims[:axis]), prod(dims[axis:])]
// before it. One pass for the max, one for exp and the sum (vectorized exp),
// one to scale. Rows are split across the thread pool.
#include <algorithm>
#include <cmath>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"

namespace ew::fast {
namespace {

void softmax_row_scalar(const float* x, float* y, int64_t n, bool log) {
  float max = x[0];
  for (int64_t j = 1; j < n; ++j) max = std::max(max, x[j]);
  float sum = 0;
  for (int64_t j = 0; j < n; ++j) sum += std::exp(x[j] - max);
  if (log) {
    const float shift = max + std::log(sum);
    for (int64_t j = 0; j < n; ++j) y[j] = x[j] - shift;
  } else {
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < n; ++j) y[j] = std::exp(x[j] - max) * inv;
  }
}

#ifdef EW_VEC_MATH_X86
__attribute__((target("avx2,fma"))) void softmax_row_avx2(const float* x, float* y, int64_t n, bool log) {
  int64_t j = 0;
  __m256 vmax = _mm256_set1_ps(-INFINITY);
  for (; j + 8 <= n; j += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + j));
  float max = hmax_ps(vmax);
  for (; j < n; ++j) max = std::max(max, x[j]);
  const __m256 m = _mm256_set1_ps(max);
  __m256 vsum = _mm256_setzero_ps();
  j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 e = exp_ps(_mm256_sub_ps(_mm256_loadu_ps(x + j), m));
    if (!log) _mm256_storeu_ps(y + j, e);
    vsum = _mm256_add_ps(vsum, e);
  }
  float sum = hsum_ps(vsum);
  for (; j < n; ++j) {
    const float e = std::exp(x[j] - max);
    if (!log) y[j] = e;
    sum += e;
  }
  if (log) {
    const float shift = max + std::log(sum);
    const __m256 s = _mm256_set1_ps(shift);
    j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(y + j, _mm256_sub_ps(_mm256_loadu_ps(x + j), s));
    for (; j < n; ++j) y[j] = x[j] - shift;
    return;
  }
  const float inv = 1.0f / sum;
  const __m256 vinv = _mm256_set1_ps(inv);
  j = 0;
  for (; j + 8 <= n; j += 8) _mm256_storeu_ps(y + j, _mm256_mul_ps(_mm256_loadu_ps(y + j), vinv));
  for (; j < n; ++j) y[j] *= inv;
}
#endif

struct Rows {
  const float* x;
  float* y;
  int64_t n, rows_per_task, rows;
  bool log, avx2;
};

void run_rows(void* arg, size_t task) {
  const Rows& r = *static_cast<const Rows*>(arg);
  const int64_t r0 = static_cast<int64_t>(task) * r.rows_per_task, r1 = std::min(r.rows, r0 + r.rows_per_task);
  for (int64_t i = r0; i < r1; ++i) {
#ifdef EW_VEC_MATH_X86
    if (r.avx2) {
      softmax_row_avx2(r.x + i * r.n, r.y + i * r.n, r.n, r.log);
      continue;
    }
#endif
    softmax_row_scalar(r.x + i * r.n, r.y + i * r.n, r.n, r.log);
  }
}

class SoftmaxKernel final : public PreparedKernel {
 public:
  int64_t rows = 0, n = 0;
  bool log = false;

  Status run(KernelContext& ctx) override {
    if (rows == 0 || n == 0) return Status::ok();
    // About 16K elements per task keeps pool overhead small on short rows.
    const int64_t per = std::max<int64_t>(1, 16384 / n);
    Rows r{ctx.input(0).data<float>(), ctx.output(0).data<float>(), n, per, rows, log, cpu_has_avx2_fma()};
    const size_t tasks = static_cast<size_t>((rows + per - 1) / per);
    if (!ctx.threadpool() || tasks == 1) {
      for (size_t t = 0; t < tasks; ++t) run_rows(&r, t);
      return Status::ok();
    }
    pthreadpool_parallelize_1d(ctx.threadpool(), run_rows, &r, tasks, 0);
    return Status::ok();
  }
};

Prepared prepare(const PrepareContext& ctx, bool log) {
  if (!is_f32(ctx, 0)) return not_handled();
  const Shape s = input_shape(ctx, 0);
  const int64_t rank = static_cast<int64_t>(s.size());
  if (rank == 0) return not_handled();
  int64_t axis = ctx.node.attr_int("axis", ctx.opset < 13 ? 1 : -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return not_handled();
  auto k = std::make_unique<SoftmaxKernel>();
  k->log = log;
  k->rows = 1;
  k->n = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (d < axis) k->rows *= s[d];
    else if (d == axis || ctx.opset < 13) k->n *= s[d];
    else if (s[d] != 1) return not_handled();  // normalizing a strided axis
  }
  return prepared(std::move(k));
}

Prepared prepare_softmax(const PrepareContext& ctx) { return prepare(ctx, false); }
Prepared prepare_log_softmax(const PrepareContext& ctx) { return prepare(ctx, true); }

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Softmax", .name = "softmax_rows", .prepare = prepare_softmax);
EW_REGISTER_FAST_KERNEL(.op_type = "LogSoftmax", .name = "softmax_rows", .prepare = prepare_log_softmax);

}  // namespace ew::fast
