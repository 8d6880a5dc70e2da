// Depthwise QLinearConv (group = channels, one output per channel; kernels up
// to 7x7, strides 1 and 2, dilation 1) in NCHW, vectorized along the output
// width with AVX-512: each channel is copied once into a padded plane filled
// with x_zero_point, then
//   acc = sum_taps x * (w - wz) - xz * sum_taps (w - wz) + bias,
// which equals the reference's sum (x - xz)(w - wz) with padding contributing
// nothing, and is requantized as the reference does.
#include <algorithm>
#include <atomic>
#include <cstring>

#include "ops/fast/prepare_util.h"
#include "ops/quant/fast/int8_simd.h"
#include "ops/quant/fast/qlinear_conv_params.h"

namespace ew::quant::fast {
namespace {

#ifdef EW_INT8_X86

struct DwGeometry {
  int64_t in_h, in_w, out_h, out_w, out_w16, kh, kw, stride, pad_t, pad_l, plane_h, plane_w;
};

// 16 input bytes for outputs ow..ow+15 at a tap, sign- or zero-extended.
template <bool kSigned, int kStride>
EW_INT8_TARGET inline __m512i load_taps(const uint8_t* p) {
  if constexpr (kStride == 1) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return kSigned ? _mm512_and_si512(_mm512_cvtepi8_epi32(v), _mm512_set1_epi32(0xffff)) : _mm512_cvtepu8_epi32(v);
  } else {
    const __m512i v = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return kSigned ? _mm512_srli_epi32(_mm512_srai_epi32(_mm512_slli_epi32(v, 24), 8), 16)
                   : _mm512_and_si512(v, _mm512_set1_epi32(0xff));
  }
}

template <bool kSigned, int kStride>
EW_INT8_TARGET void channel_rows(const DwGeometry& g, const uint8_t* plane, const int32_t* wt, int32_t offset,
                                 float scale, const RequantBounds& b, uint8_t* y) {
  const __m512 sc = _mm512_set1_ps(scale), lo = _mm512_set1_ps(b.lo), hi = _mm512_set1_ps(b.hi);
  const __m512i zp = _mm512_set1_epi32(b.zp), off = _mm512_set1_epi32(offset);
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    const uint8_t* rows = plane + oh * kStride * g.plane_w;
    for (int64_t ow = 0; ow < g.out_w; ow += 16) {
      __m512i acc = off;
      const uint8_t* base = rows + ow * kStride;
      for (int64_t i = 0; i < g.kh; ++i)
        for (int64_t j = 0; j < g.kw; ++j)
          acc = _mm512_dpwssd_epi32(acc, load_taps<kSigned, kStride>(base + i * g.plane_w + j),
                                    _mm512_set1_epi32(wt[i * g.kw + j] & 0xffff));
      store16_u8(y + oh * g.out_w + ow, requant16(acc, sc, lo, hi, zp), g.out_w - ow);
    }
  }
}


// Narrow kernels (width <= 4) on VNNI: one dword per kernel row holds the
// row's taps for an output pixel, gathered by vpermb from the padded plane
// (u8; int8 activations flipped to u8 when the plane is filled), so each
// kernel row is one vpdpbusd with the row's weights w' (s8) as a dword:
//   sum (x' - xz')(w' - wz') = sum x'w' - wz' * sum x' + offset.
struct DwRowWeights {
  __m512i rows[7];
  int32_t wz = 0;  // wz' of the channel; the window sums are needed when nonzero
  const uint8_t* index = nullptr;  // vpermb source byte of each (pixel, tap) byte
  uint64_t keep = 0;               // bytes holding a tap (the rest are zeroed)
};

// The plane has 64 bytes of slack: a full load is faster than a masked one on Zen 4.
EW_INT8_VBMI_TARGET inline __m512i gather_taps(const uint8_t* p, __m512i index, __mmask64 keep) {
  return _mm512_maskz_permutexvar_epi8(keep, index, _mm512_loadu_si512(p));
}

// Stores `valid` (<= 16) bytes of v at dst; all 16 when `room` allows.
EW_INT8_TARGET inline void store_row_bytes(uint8_t* dst, __m128i v, int64_t valid, int64_t room) {
  if (room >= 16) _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), v);
  else _mm_mask_storeu_epi8(dst, mask16(valid), v);
}

// kKh: the kernel height when known at compile time (3), else 0 (g.kh).
// kPair (outputs at most 8 wide): lanes 0-7 compute row oh, lanes 8-15 row oh + 1.
template <int kStride, int kKh, bool kSums, bool kPair>
EW_INT8_VBMI_TARGET void channel_rows_vnni(const DwGeometry& g, const uint8_t* plane, const DwRowWeights& w,
                                           int32_t offset, float scale, const RequantBounds& b, uint8_t* y) {
  const __mmask64 keep = w.keep;
  const __m512i index = _mm512_loadu_si512(w.index), ones = _mm512_set1_epi8(1), wz = _mm512_set1_epi32(w.wz);
  const __m512 sc = _mm512_set1_ps(scale), lo = _mm512_set1_ps(b.lo), hi = _mm512_set1_ps(b.hi);
  const __m512i zp = _mm512_set1_epi32(b.zp), off = _mm512_set1_epi32(offset);
  // Locals: stores through y (bytes) could alias anything the loop reads through a reference.
  const int64_t kh = kKh > 0 ? kKh : g.kh, pw = g.plane_w, out_w = g.out_w, out_h = g.out_h;
  __m512i wr[7];
  for (int64_t i = 0; i < kh; ++i) wr[i] = w.rows[i];
  const uint8_t* plane_end = y + out_h * out_w;
  for (int64_t oh = 0; oh < out_h; oh += kPair ? 2 : 1) {
    const uint8_t* rows = plane + oh * kStride * pw;
    uint8_t* yrow = y + oh * out_w;
    for (int64_t ow = 0; ow < out_w; ow += kPair ? out_w : 16) {
      __m512i acc = off, sum = _mm512_setzero_si512();
#pragma GCC unroll 7
      for (int64_t i = 0; i < kh; ++i) {
        const __m512i q = gather_taps(rows + i * pw + ow * kStride, index, keep);
        acc = _mm512_dpbusd_epi32(acc, q, wr[i]);
        if (kSums) sum = _mm512_dpbusd_epi32(sum, q, ones);
      }
      if (kSums) acc = _mm512_sub_epi32(acc, _mm512_mullo_epi32(sum, wz));
      // Rows are written in order, so a full 16-byte store may spill into
      // the next rows (rewritten later); only the end of the plane is masked.
      const __m128i v = _mm512_cvtepi32_epi8(requant16(acc, sc, lo, hi, zp));
      if constexpr (kPair) {
        store_row_bytes(yrow, v, out_w, plane_end - yrow);
        if (oh + 1 < out_h) store_row_bytes(yrow + out_w, _mm_srli_si128(v, 8), out_w, plane_end - yrow - out_w);
      } else {
        store_row_bytes(yrow + ow, v, out_w - ow, plane_end - yrow - ow);
      }
    }
  }
}

template <int kStride, bool kPair>
EW_INT8_VBMI_TARGET void channel_vnni(const DwGeometry& g, const uint8_t* plane, const DwRowWeights& w,
                                      int32_t offset, float scale, const RequantBounds& b, uint8_t* y) {
  if (g.kh == 3) {
    if (w.wz != 0) channel_rows_vnni<kStride, 3, true, kPair>(g, plane, w, offset, scale, b, y);
    else channel_rows_vnni<kStride, 3, false, kPair>(g, plane, w, offset, scale, b, y);
  } else {
    if (w.wz != 0) channel_rows_vnni<kStride, 0, true, kPair>(g, plane, w, offset, scale, b, y);
    else channel_rows_vnni<kStride, 0, false, kPair>(g, plane, w, offset, scale, b, y);
  }
}

// Copies one channel into the padded plane (x_zp outside the image); flip =
// 0x80 turns int8 into uint8 (x + 128). 64-byte vector stores: planes are
// often only a few bytes wide, where memset/memcpy calls cost more than the copy.
EW_INT8_TARGET void fill_plane(const DwGeometry& g, const uint8_t* x, uint8_t pad, uint8_t flip, uint8_t* plane) {
  const int64_t cols = std::clamp<int64_t>(g.plane_w - g.pad_l, 0, g.in_w);  // pads are >= 0
  const __m512i pads = _mm512_set1_epi8(static_cast<char>(pad)), flips = _mm512_set1_epi8(static_cast<char>(flip));
  for (int64_t r = 0; r < g.plane_h; ++r) {
    uint8_t* row = plane + r * g.plane_w;
    for (int64_t c = 0; c < g.plane_w; c += 64) _mm512_mask_storeu_epi8(row + c, mask64(g.plane_w - c), pads);
    const int64_t ih = r - g.pad_t;
    if (ih < 0 || ih >= g.in_h) continue;
    const uint8_t* src = x + ih * g.in_w;
    uint8_t* dst = row + g.pad_l;
    for (int64_t c = 0; c < cols; c += 64) {
      const __mmask64 m = mask64(cols - c);
      _mm512_mask_storeu_epi8(dst + c, m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, src + c), flips));
    }
  }
}

#endif

class Int8DepthwiseConv : public PreparedKernel {
 public:
  Int8DepthwiseConv(QConvParams p, int workers, bool vnni) : p_(std::move(p)), workers_(workers), vnni_(vnni) {
    const IntConvShape& s = p_.shape;
    g_ = {s.in[1], s.in[2], s.out[1], s.out[2], (s.out[2] + 15) / 16 * 16, s.kernel[1], s.kernel[2],
          s.stride[1], s.pad[1], s.pad[2], 0, 0};
    pair_ = vnni_ && g_.out_w <= 8;
    if (pair_) g_.out_w16 = 8;
    const int64_t rows_out = pair_ ? (g_.out_h + 1) / 2 * 2 : g_.out_h;  // pairs read a row past an odd end
    g_.plane_h = (rows_out - 1) * g_.stride + g_.kh;
    g_.plane_w = g_.out_w16 * g_.stride + g_.kw;
    const int64_t taps = g_.kh * g_.kw;
    wt_.resize(static_cast<size_t>(s.out_channels * taps));
    offset_.resize(static_cast<size_t>(s.out_channels));
    wz_.resize(static_cast<size_t>(s.out_channels));
    const int64_t xz = vnni_ && p_.x_signed ? p_.x_zp + 128 : p_.x_zp;
    for (int64_t c = 0; c < s.out_channels; ++c) {
      // Generic path: wt = w - wz. VNNI path: wt = w' (int8 domain), wz' kept apart.
      const int64_t wz = vnni_ && p_.w_unsigned ? p_.w_zp[c] - 128 : p_.w_zp[c];
      int64_t sum = 0;
      for (int64_t t = 0; t < taps; ++t) {
        const int64_t i = c * taps + t;
        const int32_t w = p_.w_unsigned ? static_cast<int32_t>(p_.w->data<uint8_t>()[i]) - (vnni_ ? 128 : 0)
                                        : static_cast<int32_t>(p_.w->data<int8_t>()[i]);
        wt_[i] = vnni_ ? w : w - static_cast<int32_t>(wz);
        sum += wt_[i];
      }
      wz_[c] = vnni_ ? static_cast<int32_t>(wz) : 0;
      offset_[c] = static_cast<int32_t>(p_.bias[c] - xz * sum + (vnni_ ? taps * xz * wz : 0));
    }
    plane_bytes_ = g_.plane_h * g_.plane_w + 64;  // slack for the gathers' full 64-byte loads
    scratch_.resize(static_cast<size_t>(plane_bytes_ * workers_));
    for (int t = 0; t < 16; ++t)
      for (int j = 0; j < 4; ++j) {
        const int64_t base = pair_ ? (t / 8) * g_.stride * g_.plane_w + (t % 8) * g_.stride : t * g_.stride;
        index_[4 * t + j] = static_cast<uint8_t>(base + (j < g_.kw ? j : 0));
        if (j < g_.kw) keep_ |= uint64_t{1} << (4 * t + j);
      }
  }

  Status run(KernelContext& ctx) override {
    x_ = ctx.input(0).data<uint8_t>();
    y_ = ctx.output(0).data<uint8_t>();
    // Small planes (MobileNet's 28x28 and below) finish faster on one thread than the
    // hand-off to a second one costs (measured: 2 threads were slower there).
    const bool large = p_.shape.out_plane() >= kMinPlaneToShare;
    const int workers = large ? std::min(workers_, pool_workers(ctx.threadpool())) : 1;
    if (workers <= 1) {
      run_worker(0, 1);
      return Status::ok();
    }
    workers_now_ = workers;
    next_plane_.store(0, std::memory_order_relaxed);
    pthreadpool_parallelize_1d(
        ctx.threadpool(),
        [](void* self, size_t i) {
          auto* k = static_cast<Int8DepthwiseConv*>(self);
          k->run_worker(static_cast<int>(i), k->workers_now_);
        },
        this, static_cast<size_t>(workers), 0);
    return Status::ok();
  }

 private:
  void run_worker(int worker, int workers) {
#ifdef EW_INT8_X86
    const IntConvShape& s = p_.shape;
    const int64_t planes = s.batch * s.out_channels;
    uint8_t* plane = scratch_.data() + worker * plane_bytes_;
    const RequantBounds b = requant_bounds(p_.y_signed, p_.y_zp);
    const uint8_t flip = vnni_ && p_.x_signed ? 0x80 : 0;
    // Workers take runs of planes from a shared counter (a busy core does not hold the
    // others up); runs, not single planes, so the counter and the small output planes
    // do not bounce between cores.
    const int64_t run = workers == 1 ? planes : std::max<int64_t>(1, planes / (8 * workers));
    for (int64_t k = 0;; k += run) {
      const int64_t first = workers == 1 ? k : next_plane_.fetch_add(run, std::memory_order_relaxed);
      if (first >= planes) break;
      for (int64_t i = first; i < std::min(first + run, planes); ++i) {
        const int64_t c = i % s.out_channels;
        fill_plane(g_, x_ + i * s.in_plane(), static_cast<uint8_t>(p_.x_zp) ^ flip, flip, plane);
        uint8_t* y = y_ + i * s.out_plane();
        if (vnni_) run_channel_vnni(c, plane, b, y);
        else run_channel(c, plane, b, y);
      }
    }
#else
    (void)worker, (void)workers;
#endif
  }

#ifdef EW_INT8_X86
  void run_channel(int64_t c, const uint8_t* plane, const RequantBounds& b, uint8_t* y) const {
    const int32_t* wt = wt_.data() + c * g_.kh * g_.kw;
    if (p_.x_signed) {
      if (g_.stride == 1) channel_rows<true, 1>(g_, plane, wt, offset_[c], p_.scale[c], b, y);
      else channel_rows<true, 2>(g_, plane, wt, offset_[c], p_.scale[c], b, y);
    } else {
      if (g_.stride == 1) channel_rows<false, 1>(g_, plane, wt, offset_[c], p_.scale[c], b, y);
      else channel_rows<false, 2>(g_, plane, wt, offset_[c], p_.scale[c], b, y);
    }
  }

  EW_INT8_VBMI_TARGET void run_channel_vnni(int64_t c, const uint8_t* plane, const RequantBounds& b,
                                            uint8_t* y) const {
    DwRowWeights w;
    const int32_t* wt = wt_.data() + c * g_.kh * g_.kw;
    for (int64_t i = 0; i < g_.kh; ++i) {
      uint32_t packed = 0;
      for (int64_t j = 0; j < g_.kw; ++j) packed |= (static_cast<uint32_t>(wt[i * g_.kw + j]) & 0xffu) << (8 * j);
      w.rows[i] = _mm512_set1_epi32(static_cast<int32_t>(packed));
    }
    w.wz = wz_[c];
    w.index = index_;
    w.keep = keep_;
    if (pair_) {
      if (g_.stride == 1) channel_vnni<1, true>(g_, plane, w, offset_[c], p_.scale[c], b, y);
      else channel_vnni<2, true>(g_, plane, w, offset_[c], p_.scale[c], b, y);
    } else {
      if (g_.stride == 1) channel_vnni<1, false>(g_, plane, w, offset_[c], p_.scale[c], b, y);
      else channel_vnni<2, false>(g_, plane, w, offset_[c], p_.scale[c], b, y);
    }
  }
#endif

  QConvParams p_;
  int workers_;
  bool vnni_;
  DwGeometry g_{};
  std::vector<int32_t> wt_, offset_, wz_;
  uint8_t index_[64] = {};
  uint64_t keep_ = 0;
  static constexpr int64_t kMinPlaneToShare = 56 * 56;
  bool pair_ = false;
  int64_t plane_bytes_ = 0;
  std::vector<uint8_t> scratch_;
  const uint8_t* x_ = nullptr;
  uint8_t* y_ = nullptr;
  int workers_now_ = 1;
  alignas(64) std::atomic<int64_t> next_plane_{0};  // its own cache line: written by every worker
};

bool depthwise_case(const IntConvShape& s) {
  return s.group == s.in_channels && s.out_channels == s.in_channels && s.kernel[1] <= 7 && s.kernel[2] <= 7 &&
         s.stride[1] == s.stride[2] && (s.stride[1] == 1 || s.stride[1] == 2) && s.dilation[1] == 1 &&
         s.dilation[2] == 1;
}

Result<std::unique_ptr<PreparedKernel>> prepare_int8_depthwise_conv(const PrepareContext& ctx) {
  QConvParams p;
  if (!read_qconv_params(ctx, &p) || !depthwise_case(p.shape)) return ew::fast::not_handled();
  #ifdef EW_INT8_X86
  const bool vnni = p.shape.kernel[2] <= 4 && __builtin_cpu_supports("avx512vbmi");
#else
  const bool vnni = false;
#endif
  return ew::fast::prepared(std::make_unique<Int8DepthwiseConv>(std::move(p), pool_workers(ctx.threadpool), vnni));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "QLinearConv", .domain = "", .since_version = 10, .name = "int8_depthwise_conv",
                        .prepare = prepare_int8_depthwise_conv);

}  // namespace ew::quant::fast
