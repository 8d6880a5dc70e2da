// Integer convolution with int32 accumulators, shared by ConvInteger and
// QLinearConv: acc[n, m, o...] = sum (x - x_zp) * (w[m] - w_zp[m]) over the
// group's input channels and the kernel window. Padding contributes nothing
// (it stands for x_zp). Up to 3 spatial dims; fewer are padded with size 1.
#pragma once

#include <array>
#include <vector>

#include "core/tensor.h"
#include "ops/quant/conv_geometry.h"

namespace ew::quant {

struct IntConvShape {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  std::array<int64_t, 3> in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1}, pad{0, 0, 0};

  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// Builds the problem from x [N, C, spatial...], w [M, C/group, kernel...] and the
// resolved geometry; fails when channels or groups do not agree.
Result<IntConvShape> make_int_conv_shape(const Shape& x, const Shape& w, int64_t group, const ConvGeometry& g);

// Shared infer step of ConvInteger and QLinearConv: checks x (input x_index)
// and w (w_index) and sets output 0 to [N, M, spatial...] of dtype `out`.
Status infer_int_conv(InferContext& ctx, int x_index, int w_index, DType out);

// Resolves the geometry and problem shape at run time.
Result<IntConvShape> int_conv_shape(const Node& node, const Shape& x, const Shape& w);

// Output row range [lo, hi) whose input index o * stride + offset lies in [0, size).
inline void valid_range(int64_t offset, int64_t stride, int64_t size, int64_t out, int64_t& lo, int64_t& hi) {
  lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  hi = size - offset <= 0 ? 0 : (size - offset + stride - 1) / stride;
  if (hi > out) hi = out;
  if (lo > hi) lo = hi;
}

// acc must hold batch * out_channels * out_plane int32 values. w_zp has one
// value per output channel.
template <typename X, typename W>
void int_conv(const IntConvShape& p, const X* x, int32_t x_zp, const W* w, const std::vector<int32_t>& w_zp,
              int32_t* acc) {
  const int64_t cpg = p.in_channels / p.group, mpg = p.out_channels / p.group;
  const int64_t in_plane = p.in_plane(), out_plane = p.out_plane(), ksize = p.kernel_size();
  std::vector<int16_t> xs(static_cast<size_t>(p.in_channels * in_plane));
  for (int64_t n = 0; n < p.batch; ++n) {
    const X* xn = x + n * p.in_channels * in_plane;
    for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<int16_t>(static_cast<int32_t>(xn[i]) - x_zp);
    for (int64_t m = 0; m < p.out_channels; ++m) {
      int32_t* out = acc + (n * p.out_channels + m) * out_plane;
      std::fill(out, out + out_plane, 0);
      const int64_t g = m / mpg;
      for (int64_t c = 0; c < cpg; ++c) {
        const int16_t* xc = xs.data() + (g * cpg + c) * in_plane;
        const W* wk = w + (m * cpg + c) * ksize;
        for (int64_t k = 0; k < ksize; ++k) {
          const int32_t wv = static_cast<int32_t>(wk[k]) - w_zp[m];
          if (wv == 0) continue;
          const int64_t kd = k / (p.kernel[1] * p.kernel[2]), kh = (k / p.kernel[2]) % p.kernel[1], kw = k % p.kernel[2];
          const int64_t off0 = kd * p.dilation[0] - p.pad[0], off1 = kh * p.dilation[1] - p.pad[1],
                        off2 = kw * p.dilation[2] - p.pad[2];
          int64_t d_lo, d_hi, h_lo, h_hi, w_lo, w_hi;
          valid_range(off0, p.stride[0], p.in[0], p.out[0], d_lo, d_hi);
          valid_range(off1, p.stride[1], p.in[1], p.out[1], h_lo, h_hi);
          valid_range(off2, p.stride[2], p.in[2], p.out[2], w_lo, w_hi);
          for (int64_t od = d_lo; od < d_hi; ++od) {
            const int64_t id = od * p.stride[0] + off0;
            for (int64_t oh = h_lo; oh < h_hi; ++oh) {
              const int16_t* row = xc + (id * p.in[1] + oh * p.stride[1] + off1) * p.in[2] + off2;
              int32_t* orow = out + (od * p.out[1] + oh) * p.out[2];
              const int64_t s = p.stride[2];
              for (int64_t ow = w_lo; ow < w_hi; ++ow) orow[ow] += wv * static_cast<int32_t>(row[ow * s]);
            }
          }
        }
      }
    }
  }
}

}  // namespace ew::quant
