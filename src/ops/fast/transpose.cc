// Fast Transpose for 1-, 2-, 4- and 8-byte elements. At prepare the
// permutation is simplified: size-1 dims are dropped and input dims that stay
// adjacent are merged, so (0,2,1,3) on [1,S,H,D] becomes a [S,H,D] -> [H,S,D]
// row copy and a pixel shuffle's 6-D perm becomes 4-D. Run then either copies
// contiguous rows (the innermost dim is unmoved) or transposes 2-D tiles
// between the output's innermost axis and the axis the input reads
// contiguously (8 x 8 AVX2 register transposes for 4-byte elements),
// iterating the remaining axes outside. Units of work are spread over the
// thread pool.
#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "ops/fast/prepare_util.h"
#include "ops/fast/vec_math.h"

namespace ew::fast {
namespace {

constexpr int kMaxRank = 16;
constexpr int64_t kTile = 16;

struct Plan {
  int64_t elem = 4;          // bytes per element
  std::vector<int64_t> dims;  // simplified output dims
  std::vector<int64_t> in_strides;  // input element stride of each output dim
  // Unit: row copy (contiguous inner) or tile between axis b and the last axis.
  bool row_copy = false;
  int b = 0;
  std::vector<int> outer;  // axes iterated outside the unit, in output order
  int64_t units = 1;
};

Plan simplify(const Shape& in, const std::vector<int64_t>& perm, int64_t elem) {
  // Output axes over input dims of size > 1, merging input-adjacent runs.
  std::vector<int64_t> in_str(in.size());
  int64_t s = 1;
  for (int64_t d = static_cast<int64_t>(in.size()) - 1; d >= 0; --d) in_str[d] = s, s *= in[d];
  Plan p;
  p.elem = elem;
  int64_t prev = -2;
  for (int64_t ax : perm) {
    if (in[ax] == 1) continue;
    if (ax == prev + 1 && !p.dims.empty()) {
      // Input dim ax follows the previous one: merge (the merged stride is the inner one).
      p.dims.back() *= in[ax];
      p.in_strides.back() = in_str[ax];
    } else {
      p.dims.push_back(in[ax]);
      p.in_strides.push_back(in_str[ax]);
    }
    prev = ax;
  }
  return p;
}

// Output element strides of the simplified dims.
std::vector<int64_t> out_strides(const Plan& p) {
  std::vector<int64_t> s(p.dims.size());
  int64_t m = 1;
  for (int64_t d = static_cast<int64_t>(p.dims.size()) - 1; d >= 0; --d) s[d] = m, m *= p.dims[d];
  return s;
}

#ifdef EW_VEC_MATH_X86
// dst[c * dst_stride + r] = src[r * src_stride + c] for an 8 x 8 block of 4-byte values.
__attribute__((target("avx2,fma"))) void transpose8x8_avx2(const uint32_t* src, int64_t src_stride, uint32_t* dst,
                                                           int64_t dst_stride) {
  __m256 r[8], t[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(reinterpret_cast<const float*>(src + i * src_stride));
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {
    t[i] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x20);
    t[i + 4] = _mm256_permute2f128_ps(r[i], r[i + 4], 0x31);
  }
  for (int i = 0; i < 8; ++i) _mm256_storeu_ps(reinterpret_cast<float*>(dst + i * dst_stride), t[i]);
}
#endif

class TransposeKernel final : public PreparedKernel {
 public:
  Plan plan;
  std::vector<int64_t> ostr;
  int64_t total = 0;
  bool avx2 = cpu_has_avx2_fma();

  Status run(KernelContext& ctx) override {
    const uint8_t* x = static_cast<const uint8_t*>(ctx.input(0).raw());
    uint8_t* y = static_cast<uint8_t*>(ctx.output(0).raw());
    if (total == 0) return Status::ok();
    if (plan.dims.size() <= 1) {
      std::memcpy(y, x, static_cast<size_t>(total * plan.elem));
      return Status::ok();
    }
    Args a{this, x, y};
    const int64_t unit_elems = std::max<int64_t>(1, total / plan.units);
    const int64_t per = std::max<int64_t>(1, 32768 / unit_elems);
    a.per_task = per;
    const size_t tasks = static_cast<size_t>((plan.units + per - 1) / per);
    if (!ctx.threadpool() || tasks == 1) {
      for (size_t t = 0; t < tasks; ++t) run_task(&a, t);
    } else {
      pthreadpool_parallelize_1d(ctx.threadpool(), run_task, &a, tasks, 0);
    }
    return Status::ok();
  }

 private:
  struct Args {
    const TransposeKernel* k;
    const uint8_t* x;
    uint8_t* y;
    int64_t per_task = 1;
  };

  static void run_task(void* arg, size_t task) {
    const Args& a = *static_cast<const Args*>(arg);
    const int64_t u0 = static_cast<int64_t>(task) * a.per_task;
    const int64_t u1 = std::min(a.k->plan.units, u0 + a.per_task);
    for (int64_t u = u0; u < u1; ++u) a.k->run_unit(a.x, a.y, u);
  }

  void run_unit(const uint8_t* x, uint8_t* y, int64_t u) const {
    int64_t in_off = 0, out_off = 0;
    for (int i = static_cast<int>(plan.outer.size()) - 1; i >= 0; --i) {
      const int ax = plan.outer[i];
      const int64_t idx = u % plan.dims[ax];
      u /= plan.dims[ax];
      in_off += idx * plan.in_strides[ax];
      out_off += idx * ostr[ax];
    }
    switch (plan.elem) {
      case 1: return unit<uint8_t>(reinterpret_cast<const uint8_t*>(x) + in_off, reinterpret_cast<uint8_t*>(y) + out_off);
      case 2: return unit<uint16_t>(reinterpret_cast<const uint16_t*>(x) + in_off, reinterpret_cast<uint16_t*>(y) + out_off);
      case 4: return unit<uint32_t>(reinterpret_cast<const uint32_t*>(x) + in_off, reinterpret_cast<uint32_t*>(y) + out_off);
      default: return unit<uint64_t>(reinterpret_cast<const uint64_t*>(x) + in_off, reinterpret_cast<uint64_t*>(y) + out_off);
    }
  }

  template <typename T>
  void unit(const T* x, T* y) const {
    const int r = static_cast<int>(plan.dims.size());
    if (plan.row_copy) {
      const int64_t rows = plan.dims[r - 2], cols = plan.dims[r - 1], rs = plan.in_strides[r - 2];
      for (int64_t i = 0; i < rows; ++i) std::memcpy(y + i * cols, x + i * rs, sizeof(T) * cols);
      return;
    }
    // y[i * os + j] = x[i + j * is] for i < dims[b], j < dims[last].
    const int64_t ni = plan.dims[plan.b], nj = plan.dims[r - 1], os = ostr[plan.b], is = plan.in_strides[r - 1];
    for (int64_t i0 = 0; i0 < ni; i0 += kTile)
      for (int64_t j0 = 0; j0 < nj; j0 += kTile) {
        const int64_t i1 = std::min(ni, i0 + kTile), j1 = std::min(nj, j0 + kTile);
        int64_t i8 = i0, j8 = j0;  // [i0, i8) x [j0, j8) goes through 8 x 8 vector blocks
#ifdef EW_VEC_MATH_X86
        if constexpr (sizeof(T) == 4) {
          if (avx2) {
            i8 = i0 + (i1 - i0) / 8 * 8;
            j8 = j0 + (j1 - j0) / 8 * 8;
            for (int64_t i = i0; i < i8; i += 8)
              for (int64_t j = j0; j < j8; j += 8) transpose8x8_avx2(x + i + j * is, is, y + i * os + j, os);
          }
        }
#endif
        for (int64_t i = i0; i < i1; ++i)
          for (int64_t j = i < i8 ? j8 : j0; j < j1; ++j) y[i * os + j] = x[i + j * is];
      }
  }
};

Prepared prepare_transpose(const PrepareContext& ctx) {
  if (!has_input(ctx, 0) || !ctx.input_types[0].fully_known()) return not_handled();
  const int64_t elem = static_cast<int64_t>(dtype_size(ctx.input_types[0].dtype));
  if (elem != 1 && elem != 2 && elem != 4 && elem != 8) return not_handled();
  const Shape in = input_shape(ctx, 0);
  const int64_t rank = static_cast<int64_t>(in.size());
  std::vector<int64_t> perm = ctx.node.attr_ints("perm");
  if (!ctx.node.has_attr("perm"))
    for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
  if (static_cast<int64_t>(perm.size()) != rank) return not_handled();
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p]) return not_handled();
    seen[p] = true;
  }
  auto numel = shape_numel(in);  // nullopt when the product of dims overflows
  if (!numel) return not_handled();
  auto k = std::make_unique<TransposeKernel>();
  k->total = *numel;
  k->plan = simplify(in, perm, elem);
  Plan& p = k->plan;
  const int r = static_cast<int>(p.dims.size());
  if (r > kMaxRank) return not_handled();
  k->ostr = out_strides(p);
  if (r >= 2) {
    p.row_copy = p.in_strides[r - 1] == 1;
    int unit_axes[2] = {r - 2, r - 1};
    if (!p.row_copy) {
      for (int ax = 0; ax < r; ++ax)
        if (p.in_strides[ax] == 1) p.b = ax;
      unit_axes[0] = p.b;
    }
    for (int ax = 0; ax < r; ++ax)
      if (ax != unit_axes[0] && ax != unit_axes[1]) {
        p.outer.push_back(ax);
        p.units *= p.dims[ax];
      }
  }
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "Transpose", .name = "transpose_tiles", .prepare = prepare_transpose);

}  // namespace ew::fast
