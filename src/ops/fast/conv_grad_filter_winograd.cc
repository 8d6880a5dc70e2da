// ConvGradFilter of a 3x3 stride-1 Conv (group 1, dilation 1) with Winograd
// F(4x4, 3x3). The forward computes a 4x4 output tile as
// Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A; its adjoint in g gives, per tile,
//
//   dW += Gᵀ [ (A E Aᵀ) ⊙ (Bᵀ D B) ] G      (E: the tile of dY, D: of padded X)
//
// so the sum over tiles moves inside the transforms: for each of the 36
// points ξ, M[ξ][m][c] = Σ_tiles Ẽ[ξ][tile][m] · V[ξ][tile][c] is one GEMM
// (sgemm) with the tiles as its reduction, and dW = Gᵀ M G once at the end:
// 36 products per tile and channel pair instead of 144. V is the forward's
// input transform (the Winograd kernels' input_transform on the same padded,
// channel-blocked layout); Ẽ = A E Aᵀ is computed here.
//
// Work goes by chunks of whole images (about kTilesPerChunk tiles) cut into at
// most kSlots slots with their own M (run in parallel, added in order), so
// results do not depend on the thread count. Accuracy is that of the forward
// Winograd (src/ops/nn/winograd_conv.h): errors of order 1e-5 of the largest
// |dW|. Taken where Winograd pays off (winograd_pays_off: at least 16 channels
// each way); the optional bias output is summed from dY as the sgemm kernel does.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"
#include "ops/grad/grad_domain.h"
#include "ops/nn/winograd_conv.h"

namespace ew::fast {
namespace {

constexpr int64_t kSlots = 4;
constexpr int64_t kTilesPerChunk = 96;
constexpr int64_t kLanes = kWinogradLanes;
constexpr int kPoints = kWinogradPoints;

typedef float V16 __attribute__((vector_size(64), aligned(4), may_alias));

#define EW_INLINE inline __attribute__((always_inline))

// Ẽ = A E Aᵀ for the 4x4 tiles of one image's channel-blocked dY
// ([Mp/16][4·tiles_h][4·tiles_w][16]): tile t of block mb goes to
// e[ξ · point_stride + t · mp + mb · 16].
EW_INLINE void dy_transform(const float* blocked, int64_t mp, int64_t tiles_h, int64_t tiles_w, float* e,
                            int64_t point_stride) {
  const int64_t row = 4 * tiles_w * kLanes, plane = 4 * tiles_h * row;
  auto a_1d = [](V16 e0, V16 e1, V16 e2, V16 e3, V16* t) {  // A (6x4) applied to one column or row
    const V16 s02 = e0 + e2, s13 = e1 + e3, u = e0 + 4.0f * e2, v = 2.0f * e1 + 8.0f * e3;
    t[0] = e0;
    t[1] = s02 + s13;
    t[2] = s02 - s13;
    t[3] = u + v;
    t[4] = u - v;
    t[5] = e3;
  };
  for (int64_t mb = 0; mb < mp / kLanes; ++mb)
    for (int64_t ty = 0; ty < tiles_h; ++ty)
      for (int64_t tx = 0; tx < tiles_w; ++tx) {
        const float* src = blocked + mb * plane + 4 * ty * row + 4 * tx * kLanes;
        V16 cols[4][6];  // A E: column b of E transformed
        for (int b = 0; b < 4; ++b) {
          const float* p = src + b * kLanes;
          a_1d(*reinterpret_cast<const V16*>(p), *reinterpret_cast<const V16*>(p + row),
               *reinterpret_cast<const V16*>(p + 2 * row), *reinterpret_cast<const V16*>(p + 3 * row), cols[b]);
        }
        float* dst = e + (ty * tiles_w + tx) * mp + mb * kLanes;
        for (int r = 0; r < 6; ++r) {
          V16 out[6];
          a_1d(cols[0][r], cols[1][r], cols[2][r], cols[3][r], out);
          for (int c = 0; c < 6; ++c) *reinterpret_cast<V16*>(dst + (r * 6 + c) * point_stride) = out[c];
        }
      }
}

void dy_transform_portable(const float* b, int64_t mp, int64_t th, int64_t tw, float* e, int64_t ps) {
  dy_transform(b, mp, th, tw, e, ps);
}
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) void dy_transform_avx2(const float* b, int64_t mp, int64_t th, int64_t tw,
                                                           float* e, int64_t ps) {
  dy_transform(b, mp, th, tw, e, ps);
}
#endif

// G (6x3) of F(4x4, 3x3), as in winograd_transform.cc.
constexpr float kG[6][3] = {{1.0f / 4, 0, 0},
                            {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                            {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                            {1.0f / 24, 1.0f / 12, 1.0f / 6},
                            {1.0f / 24, -1.0f / 12, 1.0f / 6},
                            {0, 0, 1}};

typedef float V8 __attribute__((vector_size(32), aligned(4), may_alias));

// dw[(m·C + c)·9 + 3i + j] = (Gᵀ T G)[i][j] with T[r][b] = a[((6r + b)·M + m)·C + c], eight c at a time.
EW_INLINE void output_transform_body(const float* a, int64_t M, int64_t C, float* dw) {
  for (int64_t m = 0; m < M; ++m) {
    const float* rows[kPoints];
    for (int p = 0; p < kPoints; ++p) rows[p] = a + (p * M + m) * C;
    int64_t c = 0;
    for (; c + 8 <= C; c += 8) {
      V8 gt[3][6];
      for (int i = 0; i < 3; ++i)
        for (int b = 0; b < 6; ++b) {
          V8 sum = {};
          for (int r = 0; r < 6; ++r) sum += kG[r][i] * *reinterpret_cast<const V8*>(rows[r * 6 + b] + c);
          gt[i][b] = sum;
        }
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          V8 sum = {};
          for (int b = 0; b < 6; ++b) sum += gt[i][b] * kG[b][j];
          for (int l = 0; l < 8; ++l) dw[(m * C + c + l) * 9 + i * 3 + j] = sum[l];
        }
    }
    for (; c < C; ++c)
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          float sum = 0;
          for (int b = 0; b < 6; ++b) {
            float g = 0;
            for (int r = 0; r < 6; ++r) g += kG[r][i] * rows[r * 6 + b][c];
            sum += g * kG[b][j];
          }
          dw[(m * C + c) * 9 + i * 3 + j] = sum;
        }
  }
}

void output_transform_portable(const float* a, int64_t M, int64_t C, float* dw) { output_transform_body(a, M, C, dw); }
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) void output_transform_avx2(const float* a, int64_t M, int64_t C, float* dw) {
  output_transform_body(a, M, C, dw);
}
#endif

void output_transform(const float* a, int64_t M, int64_t C, float* dw) {
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return output_transform_avx2(a, M, C, dw);
#endif
  output_transform_portable(a, M, C, dw);
}

class WinogradFilterGrad final : public PreparedKernel {
 public:
  Shape dy_shape, x_shape, w_shape;
  int64_t N = 0, C = 0, M = 0, H = 0, W = 0, OH = 0, OW = 0, pt = 0, pl = 0;
  int64_t cp = 0, mp = 0, images_per_chunk = 1, chunks = 0, slots = 1;
  WinogradDims d;  // the input transform's view of one chunk
  const WinogradKernels* k = nullptr;
  void (*transform_dy)(const float*, int64_t, int64_t, int64_t, float*, int64_t) = dy_transform_portable;
  Tensor acc;                // [slots][36][M][C]
  std::vector<double> bias;  // [slots][M] when output 1 is wanted

  int64_t tiles() const { return d.tiles_h * d.tiles_w; }
  int64_t acc_size() const { return kPoints * M * C; }
  int64_t chunk_tiles() const { return images_per_chunk * tiles(); }
  int64_t padded_floats() const { return cp * d.padded_h * d.padded_w; }
  int64_t blocked_floats() const { return mp * 4 * d.tiles_h * 4 * d.tiles_w; }
  int64_t scratch_floats() const {
    return padded_floats() + blocked_floats() + kPoints * chunk_tiles() * (cp + mp);
  }

  Status run(KernelContext& ctx) override {
    const Tensor &dy = ctx.input(0), &x = ctx.input(1);
    if (dy.shape() != dy_shape || x.shape() != x_shape || ctx.output(0).shape() != w_shape)
      return ctx.error("winograd: shapes differ from the prepared " + shape_to_string(dy_shape));
    const bool with_bias = !bias.empty() && ctx.has_output(1);
    if (with_bias && ctx.output(1).numel() != M) return ctx.error("winograd: dB must have M values");
    pthreadpool_t pool = ctx.threadpool();
    const bool parallel = pool && slots > 1;
    std::atomic<bool> failed{false};
    run_ranges(parallel ? pool : nullptr, slots, slots, [&](int64_t begin, int64_t end) {
      for (int64_t s = begin; s < end; ++s)
        if (!run_slot(s, dy.data<float>(), x.data<float>(), with_bias ? bias.data() + s * M : nullptr,
                      parallel ? nullptr : pool))
          failed = true;
    });
    if (failed) return resource_exhausted("ConvGradFilter winograd: out of memory for scratch");
    finish(ctx.output(0).data<float>());
    if (with_bias)
      for (int64_t m = 0; m < M; ++m) {
        double sum = 0;
        for (int64_t s = 0; s < slots; ++s) sum += bias[s * M + m];
        ctx.output(1).data<float>()[m] = static_cast<float>(sum);
      }
    return Status::ok();
  }

 private:
  bool run_slot(int64_t slot, const float* dy, const float* x, double* db, pthreadpool_t pool) {
    float* m_acc = acc.data<float>() + slot * acc_size();
    std::memset(m_acc, 0, sizeof(float) * acc_size());
    if (db) std::fill(db, db + M, 0.0);
    float* padded = thread_scratch(scratch_floats());
    if (!padded) return false;
    float* blocked = padded + padded_floats();
    float* v = blocked + blocked_floats();
    float* e = v + kPoints * chunk_tiles() * cp;
    for (int64_t chunk = chunks * slot / slots; chunk < chunks * (slot + 1) / slots; ++chunk) {
      const int64_t i0 = chunk * images_per_chunk, n = std::min(images_per_chunk, N - i0), t = n * tiles();
      // V[ξ] is written one channel block at a time straight into sgemm's
      // packed layout: panel cb holds rows (tiles) of 16 channels.
      WinogradDims vd = d;
      vd.cin_pad = kLanes;
      vd.v_point_stride = t * cp;
      const int64_t plane = d.padded_h * d.padded_w * kLanes;
      for (int64_t i = 0; i < n; ++i) {
        pack_x(x + (i0 + i) * C * H * W, padded);
        for (int64_t cb = 0; cb < cp / kLanes; ++cb)
          k->input_transform(vd, padded + cb * plane, 0, tiles(), v + (cb * t + i * tiles()) * kLanes);
        pack_dy(dy + (i0 + i) * M * OH * OW, blocked);
        transform_dy(blocked, mp, d.tiles_h, d.tiles_w, e + i * tiles() * mp, t * mp);
      }
      for (int p = 0; p < kPoints; ++p) {  // M[ξ][M, C] += Ẽ[ξ]ᵀ[M, t] · V[ξ][t, C]
        SgemmShape s;
        s.M = M;
        s.N = C;
        s.K = t;
        s.rsa = 1;
        s.csa = mp;
        s.ldc = C;
        s.accumulate = true;
        sgemm(s, e + p * t * mp, v + p * t * cp, m_acc + p * M * C, pool);
      }
      if (db)
        for (int64_t m = 0; m < M; ++m)
          for (int64_t i = i0; i < i0 + n; ++i) db[m] += sum_floats(dy + (i * M + m) * OH * OW, OH * OW);
    }
    return true;
  }

  // One image's X into [Cp/16][Hp][Wp][16] at offset (pt, pl), zero elsewhere.
  void pack_x(const float* x, float* padded) const {
    std::memset(padded, 0, sizeof(float) * padded_floats());
    const int64_t row = d.padded_w * kLanes;
    for (int64_t c0 = 0; c0 < C; c0 += kLanes) {
      const int64_t lanes = std::min(kLanes, C - c0), width = std::min(W, d.padded_w - pl);
      float* plane = padded + c0 * d.padded_h * d.padded_w;
      for (int64_t r = pt; r < std::min(d.padded_h, H + pt); ++r)
        k->pack_channels(x + (c0 * H + r - pt) * W, H * W, lanes, width, plane + r * row + pl * kLanes);
    }
  }

  // One image's dY into [Mp/16][4·tiles_h][4·tiles_w][16], zero past OH, OW.
  void pack_dy(const float* dy, float* blocked) const {
    std::memset(blocked, 0, sizeof(float) * blocked_floats());
    const int64_t ow4 = 4 * d.tiles_w, oh4 = 4 * d.tiles_h;
    for (int64_t m0 = 0; m0 < M; m0 += kLanes) {
      const int64_t lanes = std::min(kLanes, M - m0);
      for (int64_t r = 0; r < OH; ++r)
        k->pack_channels(dy + (m0 * OH + r) * OW, OH * OW, lanes, OW,
                         blocked + ((m0 / kLanes * oh4 + r) * ow4) * kLanes);
    }
  }

  // dW[m][c] = Gᵀ (Σ_slots M[ξ][m][c]) G: slots added into the first in
  // order, then the output transform, vectorized over c (output_transform).
  void finish(float* dw) {
    float* a = acc.data<float>();
    for (int64_t s = 1; s < slots; ++s) {
      const float* more = a + s * acc_size();
      for (int64_t i = 0; i < acc_size(); ++i) a[i] += more[i];
    }
    output_transform(a, M, C, dw);
  }
};

Prepared prepare_filter_grad_winograd(const PrepareContext& ctx) {
  for (int i = 0; i < 3; ++i)
    if (!is_f32(ctx, i)) return not_handled();
  auto kr = std::make_unique<WinogradFilterGrad>();
  kr->dy_shape = input_shape(ctx, 0);
  kr->x_shape = input_shape(ctx, 1);
  kr->w_shape = input_shape(ctx, 2);
  if (kr->x_shape.size() != 4 || ctx.node.attr_int("group", 1) != 1) return not_handled();
  auto geometry = conv_grad_shape(ctx.node, kr->x_shape, kr->w_shape, kr->dy_shape);
  if (!geometry.is_ok()) return not_handled();
  const Window3& g = geometry->w;
  for (int a = 1; a < 3; ++a)
    if (g.k[a] != 3 || g.s[a] != 1 || g.d[a] != 1) return not_handled();
  WinogradFilterGrad& k = *kr;
  k.N = geometry->batch;
  k.C = geometry->channels;
  k.M = geometry->maps;
  k.H = g.in[1];
  k.W = g.in[2];
  k.OH = g.out[1];
  k.OW = g.out[2];
  k.pt = g.pb[1];
  k.pl = g.pb[2];
  WinogradConvParams p;  // the same payoff rule as the forward: M and C channels
  p.cin = k.C;
  p.cout = k.M;
  p.out_height = k.OH;
  p.out_width = k.OW;
  if (k.N < 1 || k.OH < 1 || k.OW < 1 || !winograd_pays_off(p)) return not_handled();
  k.cp = (k.C + kLanes - 1) / kLanes * kLanes;
  k.mp = (k.M + kLanes - 1) / kLanes * kLanes;
  k.d.cin_pad = k.cp;
  k.d.tiles_h = (k.OH + 3) / 4;
  k.d.tiles_w = (k.OW + 3) / 4;
  k.d.padded_h = 4 * k.d.tiles_h + 2;
  k.d.padded_w = 4 * k.d.tiles_w + 2;
  k.images_per_chunk = std::max<int64_t>(1, std::min(k.N, kTilesPerChunk / k.tiles()));
  k.chunks = (k.N + k.images_per_chunk - 1) / k.images_per_chunk;
  k.slots = std::max<int64_t>(1, std::min(kSlots, k.chunks));
  k.k = winograd_kernels_best();
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) k.transform_dy = dy_transform_avx2;
#endif
  EW_ASSIGN_OR_RETURN(k.acc, scratch_floats(k.slots * k.acc_size()));
  if (ctx.output_types.size() > 1 && ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty()) {
    if (ctx.output_types[1].concrete_shape() != Shape{k.M}) return not_handled();
    k.bias.assign(static_cast<size_t>(k.slots * k.M), 0.0);
  }
  return prepared(std::move(kr));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradFilter", .domain = kGradDomain, .name = "winograd_f4x3",
                        .prepare = prepare_filter_grad_winograd, .priority = 1);

}  // namespace ew::fast
