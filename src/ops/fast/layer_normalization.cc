// Fast fp32 LayerNormalization (opset 17) for Scale and B that cover the whole
// normalized block (numel == prod(X.shape[axis:]), the usual [hidden] case);
// other broadcasts fall back to the reference. Two passes per row (mean, then
// variance of x - mean) in float with vector accumulators; optional Mean and
// InvStdDev outputs when they are float32.
#include <algorithm>
#include <cmath>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"

namespace ew::fast {
namespace {

struct RowArgs {
  const float* x;
  float* y;
  const float* scale;
  const float* bias;  // may be null
  float* mean;        // may be null
  float* inv_std;     // may be null
  int64_t n, rows, rows_per_task;
  float eps;
  bool avx2;
};

void row_scalar(const RowArgs& a, int64_t r) {
  const float* x = a.x + r * a.n;
  float* y = a.y + r * a.n;
  float sum = 0;
  for (int64_t i = 0; i < a.n; ++i) sum += x[i];
  const float mean = sum / float(a.n);
  float var = 0;
  for (int64_t i = 0; i < a.n; ++i) var += (x[i] - mean) * (x[i] - mean);
  const float inv = 1.0f / std::sqrt(var / float(a.n) + a.eps);
  for (int64_t i = 0; i < a.n; ++i) y[i] = (x[i] - mean) * inv * a.scale[i] + (a.bias ? a.bias[i] : 0.0f);
  if (a.mean) a.mean[r] = mean;
  if (a.inv_std) a.inv_std[r] = inv;
}

#ifdef EW_VEC_MATH_X86
__attribute__((target("avx2,fma"))) void row_avx2(const RowArgs& a, int64_t r) {
  const float* x = a.x + r * a.n;
  float* y = a.y + r * a.n;
  const int64_t n8 = a.n / 8 * 8;
  __m256 vs = _mm256_setzero_ps();
  for (int64_t i = 0; i < n8; i += 8) vs = _mm256_add_ps(vs, _mm256_loadu_ps(x + i));
  float sum = hsum_ps(vs);
  for (int64_t i = n8; i < a.n; ++i) sum += x[i];
  const float mean = sum / float(a.n);
  const __m256 m = _mm256_set1_ps(mean);
  __m256 vv = _mm256_setzero_ps();
  for (int64_t i = 0; i < n8; i += 8) {
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + i), m);
    vv = _mm256_fmadd_ps(d, d, vv);
  }
  float var = hsum_ps(vv);
  for (int64_t i = n8; i < a.n; ++i) var += (x[i] - mean) * (x[i] - mean);
  const float inv = 1.0f / std::sqrt(var / float(a.n) + a.eps);
  const __m256 vi = _mm256_set1_ps(inv);
  for (int64_t i = 0; i < n8; i += 8) {
    const __m256 s = _mm256_mul_ps(vi, _mm256_loadu_ps(a.scale + i));
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + i), m);
    const __m256 b = a.bias ? _mm256_loadu_ps(a.bias + i) : _mm256_setzero_ps();
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(d, s, b));
  }
  for (int64_t i = n8; i < a.n; ++i) y[i] = (x[i] - mean) * inv * a.scale[i] + (a.bias ? a.bias[i] : 0.0f);
  if (a.mean) a.mean[r] = mean;
  if (a.inv_std) a.inv_std[r] = inv;
}
#endif

void run_rows(void* arg, size_t task) {
  const RowArgs& a = *static_cast<const RowArgs*>(arg);
  const int64_t r0 = static_cast<int64_t>(task) * a.rows_per_task, r1 = std::min(a.rows, r0 + a.rows_per_task);
  for (int64_t r = r0; r < r1; ++r) {
#ifdef EW_VEC_MATH_X86
    if (a.avx2) {
      row_avx2(a, r);
      continue;
    }
#endif
    row_scalar(a, r);
  }
}

class LayerNormKernel final : public PreparedKernel {
 public:
  int64_t rows = 1, n = 1;
  float eps = 1e-5f;

  Status run(KernelContext& ctx) override {
    if (rows == 0 || n == 0) return Status::ok();
    const int64_t per = std::max<int64_t>(1, 16384 / n);
    RowArgs a{ctx.input(0).data<float>(), ctx.output(0).data<float>(), ctx.input(1).data<float>(),
              ctx.has_input(2) ? ctx.input(2).data<float>() : nullptr,
              ctx.has_output(1) ? ctx.output(1).data<float>() : nullptr,
              ctx.has_output(2) ? ctx.output(2).data<float>() : nullptr,
              n, rows, per, eps, cpu_has_avx2_fma()};
    const size_t tasks = static_cast<size_t>((rows + per - 1) / per);
    if (!ctx.threadpool() || tasks == 1) {
      for (size_t t = 0; t < tasks; ++t) run_rows(&a, t);
      return Status::ok();
    }
    pthreadpool_parallelize_1d(ctx.threadpool(), run_rows, &a, tasks, 0);
    return Status::ok();
  }
};

int64_t numel(const Shape& s) {
  int64_t p = 1;
  for (int64_t d : s) p *= d;
  return p;
}

Prepared prepare_layer_norm(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1)) return not_handled();
  if (has_input(ctx, 2) && !is_f32(ctx, 2)) return not_handled();
  for (size_t i = 1; i < ctx.output_types.size() && i < 3; ++i)
    if (i < ctx.node.outputs.size() && !ctx.node.outputs[i].empty() && ctx.output_types[i].dtype != DType::kFloat32)
      return not_handled();
  const Shape s = input_shape(ctx, 0);
  const int64_t rank = static_cast<int64_t>(s.size());
  int64_t axis = ctx.node.attr_int("axis", -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return not_handled();
  auto k = std::make_unique<LayerNormKernel>();
  for (int64_t d = 0; d < rank; ++d) (d < axis ? k->rows : k->n) *= s[d];
  if (numel(input_shape(ctx, 1)) != k->n) return not_handled();
  if (has_input(ctx, 2) && numel(input_shape(ctx, 2)) != k->n) return not_handled();
  k->eps = ctx.node.attr_float("epsilon", 1e-5f);
  return prepared(std::move(k));
}

}  // namespace

// From version 1, as the reference kernel (src/ops/norm/layer_normalization.cc): models
// below opset 17 get a LayerNormalization from ONNX Runtime-style exporters or from our
// layer_norm_fusion pass, which would otherwise run on the reference kernel.
EW_REGISTER_FAST_KERNEL(.op_type = "LayerNormalization", .since_version = 1, .name = "layer_norm_rows",
                        .prepare = prepare_layer_norm);

}  // namespace ew::fast
