#include "ops/fast/conv_gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"
#include "ops/fast/transpose8x8_avx2.h"

namespace ew::fast {

bool make_conv_gemm(const ConvGradShape& s, ConvGemm* out) {
  ConvGemm c;
  c.s = s;
  c.Cg = s.channels_per_group();
  c.Mg = s.maps_per_group();
  c.K = s.col_rows();
  c.P = s.out_plane();
  c.plane = s.in_plane();
  const Window3& w = s.w;
  bool unit = true, inside = true;
  for (int a = 0; a < 3; ++a) {
    unit &= w.k[a] == 1 && w.s[a] == 1 && w.pb[a] == 0 && w.pe[a] == 0;
    c.extent[a] = w.out[a] > 0 ? (w.out[a] - 1) * w.s[a] + (w.k[a] - 1) * w.d[a] + 1 : 1;
    inside &= w.pb[a] == 0 && c.extent[a] <= w.in[a];
  }
  c.pointwise = unit && c.P == c.plane;
  c.direct = inside;
  const int64_t per = c.P > 0 ? (kChunkColumns + c.P - 1) / c.P : 1;
  c.images_per_chunk = std::max<int64_t>(1, std::min(per, s.batch));
  c.chunks = (s.batch + c.images_per_chunk - 1) / c.images_per_chunk;
  // Strides of the layout the gathers read: X itself, or the padded copy.
  const int64_t row = c.direct ? w.in[2] : c.extent[2];
  const int64_t depth = c.direct ? w.in[1] * w.in[2] : c.extent[1] * c.extent[2];
  const int64_t channel = c.direct ? c.plane : c.padded_plane();
  const int64_t image = c.direct ? s.channels * c.plane : c.Cg * c.padded_plane();
  const int64_t largest = c.images_per_chunk * image + c.Cg * channel;
  if (largest >= (int64_t{1} << 31)) return false;
  const int64_t taps = w.k[0] * w.k[1] * w.k[2];
  c.tap_index.resize(static_cast<size_t>(c.K));
  for (int64_t k = 0; k < c.K; ++k) {
    const int64_t t = k % taps, kd = t / (w.k[1] * w.k[2]), kh = t / w.k[2] % w.k[1], kw = t % w.k[2];
    c.tap_index[k] = static_cast<int32_t>(k / taps * channel + kd * w.d[0] * depth + kh * w.d[1] * row + kw * w.d[2]);
  }
  c.column_index.resize(static_cast<size_t>(c.max_columns()));
  for (int64_t i = 0, col = 0; i < c.images_per_chunk; ++i)
    for (int64_t od = 0; od < w.out[0]; ++od)
      for (int64_t oh = 0; oh < w.out[1]; ++oh)
        for (int64_t ow = 0; ow < w.out[2]; ++ow)
          c.column_index[col++] =
              static_cast<int32_t>(i * image + od * w.s[0] * depth + oh * w.s[1] * row + ow * w.s[2]);
  for (int64_t col = 0; col < c.max_columns();) {
    int64_t len = 1;
    while (col + len < c.max_columns() && c.column_index[col + len] == c.column_index[col] + len) ++len;
    c.column_runs.emplace_back(col, len);
    col += len;
  }
  *out = std::move(c);
  return true;
}

const float* gather_source(const ConvGemm& c, const float* x, int64_t i0, int64_t n, int64_t g, float* padded) {
  if (c.direct) return x + (i0 * c.s.channels + g * c.Cg) * c.plane;
  const Window3& w = c.s.w;
  const int64_t e0 = c.extent[0], e1 = c.extent[1], e2 = c.extent[2];
  const int64_t left = std::min(w.pb[2], e2), width = std::max<int64_t>(0, std::min(e2 - left, w.in[2]));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t ch = 0; ch < c.Cg; ++ch) {
      const float* xc = x + ((i0 + i) * c.s.channels + g * c.Cg + ch) * c.plane;
      float* dst = padded + (i * c.Cg + ch) * c.padded_plane();
      for (int64_t zd = 0; zd < e0; ++zd)
        for (int64_t zh = 0; zh < e1; ++zh, dst += e2) {
          const int64_t id = zd - w.pb[0], ih = zh - w.pb[1];
          if (id < 0 || id >= w.in[0] || ih < 0 || ih >= w.in[1] || width == 0) {
            std::memset(dst, 0, sizeof(float) * e2);
            continue;
          }
          std::memset(dst, 0, sizeof(float) * left);
          std::memcpy(dst + left, xc + (id * w.in[1] + ih) * w.in[2], sizeof(float) * width);
          std::memset(dst + left + width, 0, sizeof(float) * (e2 - left - width));
        }
    }
  return padded;
}

void gather_rows(const float* t, int64_t channels, int64_t P, int64_t i0, int64_t n, int64_t r0, int64_t rows,
                 float* dst, int64_t ld) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(dst + r * ld + i * P, t + ((i0 + i) * channels + r0 + r) * P, sizeof(float) * P);
}

namespace {

// dst[j] = base[offset + index[j]] for j < 16 (0 for j >= valid): one row of a panel.
inline void gather16_scalar(const float* base, int64_t offset, const int32_t* index, int64_t valid, float* dst) {
  for (int64_t j = 0; j < kSgemmNR; ++j) dst[j] = j < valid ? base[offset + index[j]] : 0.0f;
}

// Panels of 16: `index` (16 per panel) is fixed within a panel, `offsets` runs along it.
// dst[panel q][r][j] = base[offsets[r] + index[q·16 + j]], r < rows, j < 16 (0 past `count`).
void gather_panels_portable(const float* base, const int32_t* index, int64_t count, const int32_t* offsets,
                            int64_t rows, float* dst) {
  for (int64_t q0 = 0; q0 < count; q0 += kSgemmNR) {
    const int64_t valid = std::min(kSgemmNR, count - q0);
    float* panel = dst + q0 * rows;
    for (int64_t r = 0; r < rows; ++r) gather16_scalar(base, offsets[r], index + q0, valid, panel + r * kSgemmNR);
  }
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) void gather_panels_avx2(const float* base, const int32_t* index, int64_t count,
                                                            const int32_t* offsets, int64_t rows, float* dst) {
  for (int64_t q0 = 0; q0 < count; q0 += kSgemmNR) {
    const int64_t valid = std::min(kSgemmNR, count - q0);
    float* panel = dst + q0 * rows;
    if (valid < kSgemmNR) {
      for (int64_t r = 0; r < rows; ++r) gather16_scalar(base, offsets[r], index + q0, valid, panel + r * kSgemmNR);
      continue;
    }
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(index + q0));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(index + q0 + 8));
    for (int64_t r = 0; r < rows; ++r) {
      const float* b = base + offsets[r];
      _mm256_storeu_ps(panel + r * kSgemmNR, _mm256_i32gather_ps(b, lo, 4));
      _mm256_storeu_ps(panel + r * kSgemmNR + 8, _mm256_i32gather_ps(b, hi, 4));
    }
  }
}
#endif

using GatherFn = void (*)(const float*, const int32_t*, int64_t, const int32_t*, int64_t, float*);

GatherFn gather_panels() {
#if defined(__x86_64__) || defined(__i386__)
  static const GatherFn fn = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? gather_panels_avx2
                                                                           : gather_panels_portable;
  }();
  return fn;
#else
  return gather_panels_portable;
#endif
}

}  // namespace

namespace {

// Unit stride along rows: runs of positions within an output row read
// consecutive floats, so the packs copy and transpose vectors instead of
// gathering element by element.
bool unit_rows(const ConvGemm& c) { return c.s.w.s[2] == 1; }

// pack_col with unit stride: per panel of 16 columns, the runs of columns
// whose sources are consecutive (an output row; a whole panel for 1x1
// layers), then per row k of col one copy per run (a fixed 16-float copy for
// a full panel).
void pack_col_runs(const ConvGemm& c, const float* src, int64_t cols, float* packed) {
  for (int64_t q0 = 0; q0 < cols; q0 += kSgemmNR) {
    const int64_t valid = std::min(kSgemmNR, cols - q0);
    int64_t run_start[kSgemmNR + 1], run_len[kSgemmNR], run_src[kSgemmNR], runs = 0;
    for (int64_t j = 0; j < valid;) {
      const int32_t* index = c.column_index.data() + q0;
      int64_t len = 1;
      while (j + len < valid && index[j + len] == index[j] + len) ++len;
      run_start[runs] = j;
      run_len[runs] = len;
      run_src[runs++] = index[j];
      j += len;
    }
    float* panel = packed + q0 * c.K;
    if (runs == 1 && valid == kSgemmNR) {
      for (int64_t k = 0; k < c.K; ++k)
        std::memcpy(panel + k * kSgemmNR, src + c.tap_index[k] + run_src[0], sizeof(float) * kSgemmNR);
      continue;
    }
    for (int64_t k = 0; k < c.K; ++k) {
      const float* base = src + c.tap_index[k];
      float* d = panel + k * kSgemmNR;
      for (int64_t r = 0; r < runs; ++r)
        for (int64_t j = 0; j < run_len[r]; ++j) d[run_start[r] + j] = base[run_src[r] + j];
      for (int64_t j = valid; j < kSgemmNR; ++j) d[j] = 0.0f;
    }
  }
}

#if defined(__x86_64__) || defined(__i386__)
#define EW_PACK_AVX2 __attribute__((target("avx2,fma")))

EW_PACK_AVX2 inline void transpose8x8(__m256 r[8]) { transpose8x8_avx2(r); }

// pack_col_transposed with unit stride and a full panel of 16 taps: along
// each run of consecutive sources, 8 positions of the 16 taps are 16 vector
// loads, two 8x8 transposes and 8 panel rows.
EW_PACK_AVX2 void pack_transposed_rows_avx2(const ConvGemm& c, const float* src, int64_t cols, int64_t k0,
                                            float* panel) {
  const int32_t* tap = c.tap_index.data() + k0;
  for (const auto& [r0, len] : c.column_runs) {  // columns r0 .. r0 + len - 1 read consecutive floats
    if (r0 >= cols) break;
    const int64_t n = std::min(len, cols - r0);
    const float* row = src + c.column_index[r0];
    int64_t x = 0;
    for (; x + 8 <= n; x += 8)
      for (int half = 0; half < 2; ++half) {
        __m256 v[8];
        for (int j = 0; j < 8; ++j) v[j] = _mm256_loadu_ps(row + tap[half * 8 + j] + x);
        transpose8x8(v);
        for (int i = 0; i < 8; ++i) _mm256_storeu_ps(panel + (r0 + x + i) * kSgemmNR + half * 8, v[i]);
      }
    for (; x < n; ++x)
      for (int64_t j = 0; j < kSgemmNR; ++j) panel[(r0 + x) * kSgemmNR + j] = row[tap[j] + x];
  }
}
#endif

}  // namespace

void pack_col(const ConvGemm& c, const float* src, int64_t n, float* packed) {
  // Panels of 16 columns (positions); along a panel, rows k.
  if (unit_rows(c)) return pack_col_runs(c, src, n * c.P, packed);
  gather_panels()(src, c.column_index.data(), n * c.P, c.tap_index.data(), c.K, packed);
}

void pack_col_transposed(const ConvGemm& c, const float* src, int64_t n, float* packed) {
  // Panels of 16 rows of col (k); along a panel, positions.
  const int64_t cols = n * c.P;
#if defined(__x86_64__) || defined(__i386__)
  if (unit_rows(c) && gather_panels() == gather_panels_avx2) {
    const int64_t full = c.K / kSgemmNR * kSgemmNR;
    for (int64_t k0 = 0; k0 < full; k0 += kSgemmNR) pack_transposed_rows_avx2(c, src, cols, k0, packed + k0 * cols);
    if (full < c.K)
      gather_panels_portable(src, c.tap_index.data() + full, c.K - full, c.column_index.data(), cols,
                             packed + full * cols);
    return;
  }
#endif
  gather_panels()(src, c.tap_index.data(), c.K, c.column_index.data(), cols, packed);
}

float* thread_scratch(int64_t floats) {
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  thread_local std::unique_ptr<float, Free> buffer;
  thread_local int64_t capacity = 0;
  if (floats > capacity) {
    const size_t bytes = (static_cast<size_t>(floats) * sizeof(float) + 63) / 64 * 64;
    buffer.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
    capacity = buffer ? floats : 0;
  }
  return buffer.get();
}

namespace {

struct RangeJob {
  int64_t workers, items;
  const std::function<void(int64_t, int64_t)>* body;
};

void run_range(void* arg, size_t w) {
  const RangeJob& j = *static_cast<const RangeJob*>(arg);
  const int64_t i = static_cast<int64_t>(w);
  (*j.body)(j.items * i / j.workers, j.items * (i + 1) / j.workers);
}

}  // namespace

void run_ranges(pthreadpool_t pool, int64_t workers, int64_t items, const std::function<void(int64_t, int64_t)>& body) {
  if (!pool || workers <= 1) return body(0, items);
  RangeJob job{workers, items, &body};
  pthreadpool_parallelize_1d(pool, run_range, &job, static_cast<size_t>(workers), 0);
}

bool read_conv_node(const PrepareContext& ctx, bool fused, ConvNode* node) {
  if (!is_f32(ctx, 0) || !is_f32(ctx, 1) || constant_input(ctx, 1)) return false;
  if (ctx.output_types.empty() || ctx.output_types[0].dtype != DType::kFloat32 || !ctx.output_types[0].fully_known())
    return false;
  ConvNode n;
  n.x = input_shape(ctx, 0);
  n.w = input_shape(ctx, 1);
  n.y = ctx.output_types[0].concrete_shape();
  auto geometry = conv_grad_shape(ctx.node, n.x, n.w, n.y);
  if (!geometry.is_ok()) return false;
  n.s = *geometry;
  if (has_input(ctx, 2)) {
    if (!is_f32(ctx, 2) || input_shape(ctx, 2) != Shape{n.s.maps}) return false;
    n.has_bias = true;
  }
  if (fused) {
    auto act = FusedActivation::of(ctx.node);
    if (!act.is_ok()) return false;
    n.act = *act;
    if (has_input(ctx, 3)) {
      if (!is_f32(ctx, 3) || input_shape(ctx, 3) != n.y) return false;
      n.z_input = 3;
    }
  } else if (ctx.input_types.size() > 3) {
    return false;
  }
  *node = std::move(n);
  return true;
}

Status check_conv_inputs(KernelContext& ctx, const ConvNode& n, const char* kernel) {
  auto same = [&](int i, const Shape& s) {
    return ctx.has_input(i) && ctx.input(i).dtype() == DType::kFloat32 && ctx.input(i).shape() == s;
  };
  if (!same(0, n.x) || !same(1, n.w) || (n.has_bias && !same(2, Shape{n.s.maps})) ||
      (n.z_input >= 0 && !same(n.z_input, n.y)) || ctx.output(0).shape() != n.y)
    return ctx.error(std::string(kernel) + ": inputs differ from the prepared X " + shape_to_string(n.x) + ", W " +
                     shape_to_string(n.w));
  return Status::ok();
}

void conv_epilogue(float* row, int64_t n, float bias, const float* z, const FusedActivation& act) {
  using Kind = FusedActivation::Kind;
  if (z) {
    for (int64_t i = 0; i < n; ++i) row[i] = row[i] + bias + z[i];
  } else if (bias != 0.0f) {
    for (int64_t i = 0; i < n; ++i) row[i] += bias;
  }
  if (act.kind == Kind::kNone) return;
  if (act.kind == Kind::kRelu) {
    for (int64_t i = 0; i < n; ++i) row[i] = row[i] > 0.0f ? row[i] : 0.0f;
  } else if (act.kind == Kind::kClip) {
    for (int64_t i = 0; i < n; ++i) row[i] = std::min(std::max(row[i], act.alpha), act.beta);
  } else {
    act.apply(row, n);
  }
}

double sum_floats(const float* x, int64_t n) {
  float lanes[16] = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; ++j) lanes[j] += x[i + j];
  double s = 0;
  for (int j = 0; j < 16; ++j) s += lanes[j];
  for (; i < n; ++i) s += x[i];
  return s;
}

int64_t pool_threads(pthreadpool_t pool) {
  return pool ? static_cast<int64_t>(pthreadpool_get_threads_count(pool)) : 1;
}

}  // namespace ew::fast
