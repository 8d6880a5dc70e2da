// Fast fp32 ReduceSum for reductions that fold to [outer, kept, inner] with
// outer and inner reduced (dims of size 1 dropped, neighbours merged): the
// bias gradient of a Conv (axes 0, 2, 3 of NCHW), a reduction over leading or
// trailing axes, or over everything. out[k] = Σ_o Σ_i x[o][k][i]: rows along
// `inner` are summed in float vector lanes, rows and columns added in double
// (the reference sums in double, element by element), kept indices split over
// the session's pool. Other axis patterns stay on the reference kernel.
#include <vector>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"
#include "ops/reduce/reduction.h"

namespace ew::fast {
namespace {

#define EW_INLINE inline __attribute__((always_inline))

struct Folded {
  int64_t outer = 1, kept = 1, inner = 1;
};

// Folds the shape by the mask; false for patterns other than [R] [K] [R K] [K R] [R K R].
bool fold(const Shape& shape, const std::vector<bool>& mask, Folded* f) {
  std::vector<std::pair<bool, int64_t>> blocks;  // (reduced, extent)
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (!blocks.empty() && blocks.back().first == mask[i]) blocks.back().second *= shape[i];
    else blocks.emplace_back(mask[i], shape[i]);
  }
  if (blocks.size() > 3 || (blocks.size() == 3 && blocks[0].first == false)) return false;
  size_t b = 0;
  if (b < blocks.size() && blocks[b].first) f->outer = blocks[b++].second;
  if (b < blocks.size() && !blocks[b].first) f->kept = blocks[b++].second;
  if (b < blocks.size() && blocks[b].first) f->inner = blocks[b++].second;
  return b == blocks.size();
}

// Sum of n floats: eight lanes times four chains, then the lanes in double.
EW_INLINE double row_sum(const float* __restrict x, int64_t n) {
  float acc[32] = {};
  int64_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int j = 0; j < 32; ++j) acc[j] += x[i + j];
  double s = 0;
  for (int j = 0; j < 32; ++j) s += acc[j];
  for (; i < n; ++i) s += x[i];
  return s;
}

// out[k] for k in [k0, k1); `col` is scratch of (k1 - k0) doubles when inner == 1.
EW_INLINE void sum_range(const float* x, const Folded& f, int64_t k0, int64_t k1, float* out, double* col) {
  if (f.inner == 1) {
    const int64_t n = k1 - k0;
    for (int64_t k = 0; k < n; ++k) col[k] = 0;
    for (int64_t o = 0; o < f.outer; ++o) {
      const float* __restrict row = x + o * f.kept + k0;
      for (int64_t k = 0; k < n; ++k) col[k] += row[k];
    }
    for (int64_t k = 0; k < n; ++k) out[k] = static_cast<float>(col[k]);
    return;
  }
  for (int64_t k = k0; k < k1; ++k) {
    double s = 0;
    for (int64_t o = 0; o < f.outer; ++o) s += row_sum(x + (o * f.kept + k) * f.inner, f.inner);
    out[k] = static_cast<float>(s);
  }
}

using RangeFn = void (*)(const float*, const Folded&, int64_t, int64_t, float*, double*);

void sum_portable(const float* x, const Folded& f, int64_t k0, int64_t k1, float* out, double* col) {
  sum_range(x, f, k0, k1, out, col);
}
#ifdef EW_VEC_MATH_X86
__attribute__((target("avx2,fma"))) void sum_avx2(const float* x, const Folded& f, int64_t k0, int64_t k1, float* out,
                                                  double* col) {
  sum_range(x, f, k0, k1, out, col);
}
#endif

constexpr int64_t kColumnBlock = 1024;  // kept indices per task when inner == 1 (8 KiB of doubles)

class ReduceSumKernel final : public PreparedKernel {
 public:
  Folded f;
  Shape in_shape;
  RangeFn fn = nullptr;

  Status run(KernelContext& ctx) override {
    if (ctx.input(0).shape() != in_shape || ctx.output(0).numel() != f.kept)
      return ctx.error("ReduceSum: shapes differ from the prepared " + shape_to_string(in_shape));
    struct Job {
      const float* x;
      float* out;
      const Folded* f;
      RangeFn fn;
    } job{ctx.input(0).data<float>(), ctx.output(0).data<float>(), &f, fn};
    // Tasks of kColumnBlock kept indices (column sums) or of rows of whole
    // kept indices; each writes its own outputs.
    const int64_t per_task = f.inner == 1 ? kColumnBlock : std::max<int64_t>(1, 16384 / (f.outer * f.inner));
    auto task = [](void* arg, size_t begin, size_t count) {
      const Job& j = *static_cast<const Job*>(arg);
      double col[kColumnBlock];
      j.fn(j.x, *j.f, static_cast<int64_t>(begin), static_cast<int64_t>(begin + count), j.out, col);
    };
    if (!ctx.threadpool() || f.outer * f.kept * f.inner < 65536) {
      for (int64_t k = 0; k < f.kept; k += per_task)
        task(&job, static_cast<size_t>(k), static_cast<size_t>(std::min(per_task, f.kept - k)));
      return Status::ok();
    }
    pthreadpool_parallelize_1d_tile_1d(ctx.threadpool(), task, &job, static_cast<size_t>(f.kept),
                                       static_cast<size_t>(per_task), 0);
    return Status::ok();
  }
};

Prepared prepare_reduce_sum(const PrepareContext& ctx) {
  if (!is_f32(ctx, 0) || ctx.output_types.empty() || !ctx.output_types[0].fully_known()) return not_handled();
  const bool axes_present = has_input(ctx, 1);
  if (axes_present && !constant_input(ctx, 1)) return not_handled();
  auto spec = read_reduce_axes(ctx.node, ctx.opset, 13, axes_present, constant_input(ctx, 1));
  if (!spec.is_ok() || !spec->known) return not_handled();
  const Shape shape = input_shape(ctx, 0);
  for (int64_t d : shape)
    if (d == 0) return not_handled();
  auto mask = reduce_mask(*spec, static_cast<int64_t>(shape.size()));
  if (!mask.is_ok()) return not_handled();
  bool any = false;
  for (bool m : *mask) any = any || m;
  if (!any) return not_handled();  // no reduction (noop_with_empty_axes): the reference copies
  auto k = std::make_unique<ReduceSumKernel>();
  if (!fold(shape, *mask, &k->f)) return not_handled();
  k->in_shape = shape;
  k->fn = sum_portable;
#ifdef EW_VEC_MATH_X86
  if (cpu_has_avx2_fma()) k->fn = sum_avx2;
#endif
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ReduceSum", .name = "folded", .prepare = prepare_reduce_sum);

}  // namespace ew::fast
