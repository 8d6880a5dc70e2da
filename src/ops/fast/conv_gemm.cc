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
#include "ops/nn/im2col.h"

namespace ew::fast {

ConvGemm make_conv_gemm(const ConvGradShape& s) {
  ConvGemm c;
  c.s = s;
  c.Cg = s.channels_per_group();
  c.Mg = s.maps_per_group();
  c.K = s.col_rows();
  c.P = s.out_plane();
  c.plane = s.in_plane();
  const Window3& w = s.w;
  bool unit = true;
  for (int a = 0; a < 3; ++a) unit &= w.k[a] == 1 && w.s[a] == 1 && w.pb[a] == 0 && w.pe[a] == 0;
  c.pointwise = unit && c.P == c.plane;
  const int64_t per = c.P > 0 ? (kChunkColumns + c.P - 1) / c.P : 1;
  c.images_per_chunk = std::max<int64_t>(1, std::min(per, s.batch));
  c.chunks = (s.batch + c.images_per_chunk - 1) / c.images_per_chunk;
  return c;
}

void im2col_images(const ConvGemm& c, const float* x, int64_t i0, int64_t n, int64_t g, float* col, int64_t ld) {
  for (int64_t i = 0; i < n; ++i) {
    const float* xi = x + ((i0 + i) * c.s.channels + g * c.Cg) * c.plane;
    if (c.pointwise) {
      for (int64_t r = 0; r < c.Cg; ++r) std::memcpy(col + r * ld + i * c.P, xi + r * c.P, sizeof(float) * c.P);
    } else {
      im2col(xi, c.Cg, c.s.w, col + i * c.P, ld);
    }
  }
}

void gather_rows(const float* t, int64_t channels, int64_t P, int64_t i0, int64_t n, int64_t r0, int64_t rows,
                 float* dst, int64_t ld) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < n; ++i)
      std::memcpy(dst + r * ld + i * P, t + ((i0 + i) * channels + r0 + r) * P, sizeof(float) * P);
}

namespace {

// Row (kd, kh, kw) of one channel's im2col: P values.
void im2col_row(const float* xc, const Window3& w, int64_t kd, int64_t kh, int64_t kw, float* dst) {
  const int64_t off_w = kw * w.d[2] - w.pb[2];
  int64_t lo, hi;
  im2col_detail::valid_range(off_w, w.s[2], w.in[2], w.out[2], &lo, &hi);
  for (int64_t od = 0; od < w.out[0]; ++od) {
    const int64_t id = od * w.s[0] + kd * w.d[0] - w.pb[0];
    for (int64_t oh = 0; oh < w.out[1]; ++oh, dst += w.out[2]) {
      const int64_t ih = oh * w.s[1] + kh * w.d[1] - w.pb[1];
      if (id < 0 || id >= w.in[0] || ih < 0 || ih >= w.in[1]) {
        std::fill(dst, dst + w.out[2], 0.0f);
        continue;
      }
      const float* src = xc + (id * w.in[1] + ih) * w.in[2] + off_w;
      std::fill(dst, dst + lo, 0.0f);
      if (w.s[2] == 1) {
        std::copy(src + lo, src + hi, dst + lo);
      } else {
        for (int64_t ow = lo; ow < hi; ++ow) dst[ow] = src[ow * w.s[2]];
      }
      std::fill(dst + hi, dst + w.out[2], 0.0f);
    }
  }
}

}  // namespace

namespace {

// dst[p·16 + j] = src[j·ld + p] for j < 16, p < n: 16 rows into sgemm's panel layout.
void interleave16_portable(const float* src, int64_t ld, int64_t n, float* dst) {
  for (int64_t p = 0; p < n; ++p)
    for (int64_t j = 0; j < kSgemmNR; ++j) dst[p * kSgemmNR + j] = src[j * ld + p];
}

#if defined(__x86_64__) || defined(__i386__)
// The same with 8x8 register transposes.
__attribute__((target("avx2,fma"))) void interleave16_avx2(const float* src, int64_t ld, int64_t n, float* dst) {
  int64_t p = 0;
  for (; p + 8 <= n; p += 8)
    for (int64_t j0 = 0; j0 < kSgemmNR; j0 += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + (j0 + i) * ld + p);
      __m256 t[8];
      for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
      }
      __m256 u[8];
      for (int i = 0; i < 2; ++i) {
        u[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        u[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        u[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        u[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
      }
      for (int i = 0; i < 4; ++i) {
        _mm256_storeu_ps(dst + (p + i) * kSgemmNR + j0, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
        _mm256_storeu_ps(dst + (p + i + 4) * kSgemmNR + j0, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
      }
    }
  interleave16_portable(src + p, ld, n - p, dst + p * kSgemmNR);
}
#endif

using InterleaveFn = void (*)(const float*, int64_t, int64_t, float*);

InterleaveFn interleave16() {
#if defined(__x86_64__) || defined(__i386__)
  static const InterleaveFn fn = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? interleave16_avx2 : interleave16_portable;
  }();
  return fn;
#else
  return interleave16_portable;
#endif
}

}  // namespace

void pack_im2col_transposed(const ConvGemm& c, const float* x, int64_t i0, int64_t n, int64_t g, float* packed,
                            float* rows) {
  const Window3& w = c.s.w;
  const int64_t cols = n * c.P, taps = w.k[0] * w.k[1] * w.k[2];
  const InterleaveFn interleave = interleave16();
  for (int64_t k0 = 0; k0 < c.K; k0 += kSgemmNR) {
    float* panel = packed + k0 * cols;
    for (int64_t i = 0; i < n; ++i) {
      // Rows k0 .. k0 + 15 of image i's col, contiguous, then interleaved into the panel.
      for (int64_t j = 0; j < kSgemmNR; ++j) {
        float* row = rows + j * c.P;
        const int64_t k = k0 + j;
        if (k >= c.K) {
          std::memset(row, 0, sizeof(float) * c.P);
          continue;
        }
        const int64_t ch = k / taps, t = k % taps;
        const float* xc = x + ((i0 + i) * c.s.channels + g * c.Cg + ch) * c.plane;
        if (c.pointwise) {
          std::memcpy(row, xc, sizeof(float) * c.P);
        } else {
          im2col_row(xc, w, t / (w.k[1] * w.k[2]), t / w.k[2] % w.k[1], t % w.k[2], row);
        }
      }
      interleave(rows, c.P, c.P, panel + i * c.P * kSgemmNR);
    }
  }
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

int64_t pool_threads(pthreadpool_t pool) { return pool ? static_cast<int64_t>(pthreadpool_get_threads_count(pool)) : 1; }

}  // namespace ew::fast
