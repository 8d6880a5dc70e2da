// im2col for 1-D/2-D/3-D windows (padded to three axes by Window3): unfolds
// the receptive fields of one group's channels into a [C*kD*kH*kW, oD*oH*oW]
// matrix so a convolution becomes one matrix multiply.
#pragma once

#include <algorithm>

#include "ops/nn/conv_geometry.h"

namespace ew {

namespace im2col_detail {

// Range [lo, hi) of output positions o with 0 <= o*s + off < in.
inline void valid_range(int64_t off, int64_t s, int64_t in, int64_t out, int64_t* lo, int64_t* hi) {
  *lo = off >= 0 ? 0 : (-off + s - 1) / s;
  *hi = in - off <= 0 ? 0 : std::min(out, (in - off + s - 1) / s);
  *lo = std::min(*lo, out);
  *hi = std::max(*hi, *lo);
}

}  // namespace im2col_detail

// x: channels [C, iD, iH, iW]; col: [C*kD*kH*kW, oD*oH*oW], rows `ld` apart
// (default: packed, ld = oD*oH*oW; the fast kernels place several images side by side).
template <typename C>
void im2col(const C* x, int64_t channels, const Window3& w, C* col, int64_t ld = -1) {
  const int64_t plane = w.in[0] * w.in[1] * w.in[2];
  const int64_t P = ld < 0 ? w.out[0] * w.out[1] * w.out[2] : ld;
  for (int64_t c = 0; c < channels; ++c) {
    const C* xc = x + c * plane;
    for (int64_t kd = 0; kd < w.k[0]; ++kd)
      for (int64_t kh = 0; kh < w.k[1]; ++kh)
        for (int64_t kw = 0; kw < w.k[2]; ++kw) {
          C* dst = col + (((c * w.k[0] + kd) * w.k[1] + kh) * w.k[2] + kw) * P;
          const int64_t off_w = kw * w.d[2] - w.pb[2];
          int64_t lo, hi;
          im2col_detail::valid_range(off_w, w.s[2], w.in[2], w.out[2], &lo, &hi);
          for (int64_t od = 0; od < w.out[0]; ++od) {
            const int64_t id = od * w.s[0] + kd * w.d[0] - w.pb[0];
            for (int64_t oh = 0; oh < w.out[1]; ++oh, dst += w.out[2]) {
              const int64_t ih = oh * w.s[1] + kh * w.d[1] - w.pb[1];
              if (id < 0 || id >= w.in[0] || ih < 0 || ih >= w.in[1]) {
                std::fill(dst, dst + w.out[2], C(0));
                continue;
              }
              const C* src = xc + (id * w.in[1] + ih) * w.in[2] + off_w;
              std::fill(dst, dst + lo, C(0));
              if (w.s[2] == 1) {
                std::copy(src + lo, src + hi, dst + lo);
              } else {
                for (int64_t ow = lo; ow < hi; ++ow) dst[ow] = src[ow * w.s[2]];
              }
              std::fill(dst + hi, dst + w.out[2], C(0));
            }
          }
        }
  }
}

// Inverse of im2col: adds each column entry back into its input position (for
// ConvTranspose); col rows `ld` apart as in im2col.
template <typename C>
void col2im_add(const C* col, int64_t channels, const Window3& w, C* x, int64_t ld = -1) {
  const int64_t plane = w.in[0] * w.in[1] * w.in[2];
  const int64_t P = ld < 0 ? w.out[0] * w.out[1] * w.out[2] : ld;
  for (int64_t c = 0; c < channels; ++c) {
    C* xc = x + c * plane;
    for (int64_t kd = 0; kd < w.k[0]; ++kd)
      for (int64_t kh = 0; kh < w.k[1]; ++kh)
        for (int64_t kw = 0; kw < w.k[2]; ++kw) {
          const C* src = col + (((c * w.k[0] + kd) * w.k[1] + kh) * w.k[2] + kw) * P;
          const int64_t off_w = kw * w.d[2] - w.pb[2];
          int64_t lo, hi;
          im2col_detail::valid_range(off_w, w.s[2], w.in[2], w.out[2], &lo, &hi);
          for (int64_t od = 0; od < w.out[0]; ++od) {
            const int64_t id = od * w.s[0] + kd * w.d[0] - w.pb[0];
            for (int64_t oh = 0; oh < w.out[1]; ++oh, src += w.out[2]) {
              const int64_t ih = oh * w.s[1] + kh * w.d[1] - w.pb[1];
              if (id < 0 || id >= w.in[0] || ih < 0 || ih >= w.in[1]) continue;
              C* dst = xc + (id * w.in[1] + ih) * w.in[2] + off_w;
              for (int64_t ow = lo; ow < hi; ++ow) dst[ow * w.s[2]] += src[ow];
            }
          }
        }
  }
}

}  // namespace ew
