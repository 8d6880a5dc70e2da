// Depthwise 2-D convolution (group == channels == maps, one filter per
// channel) computed directly for the fast Conv, ConvGradInput and
// ConvGradFilter kernels: im2col + GEMM would run one 1-row GEMM per channel.
//
// Work goes by blocks of 8 channels of one image: the 8 planes are
// interleaved (8x8 register transposes) into a zero-bordered buffer of
// [rows][columns][8], so every tap is one 8-lane multiply-add whatever the
// width, stride or dilation, and results are transposed back to planes.
//
//   forward   y[oh][ow]  = Σ_taps w[kh][kw] · xp[oh·sh + kh·dh][ow·sw + kw·dw]
//   dgrad     dxp[oh·sh + kh·dh][ow·sw + kw·dw] += w[kh][kw] · dy[oh][ow], then dx = dxp's interior
//   wgrad     dw[kh][kw] += Σ_oh Σ_ow dy[oh][ow] · xp[oh·sh + kh·dh][ow·sw + kw·dw]
//
// xp is x padded by (pt, pl); its extent (ph, pw) is what the windows read.
// Sums run over taps (and for wgrad over positions) in a fixed order, so
// results do not depend on how blocks are spread over threads.
#pragma once

#include <cmath>
#include <cstdint>

#include "ops/grad/conv_grad_geometry.h"

namespace ew::fast {

inline constexpr int64_t kDepthwiseLanes = 8;

struct Depthwise {
  int64_t batch = 0, channels = 0;
  int64_t h = 0, w = 0, oh = 0, ow = 0;
  int64_t kh = 0, kw = 0, sh = 1, sw = 1, dh = 1, dw = 1, pt = 0, pl = 0;
  int64_t ph = 0, pw = 0;  // padded plane: rows and columns the windows read

  int64_t taps() const { return kh * kw; }
  int64_t in_plane() const { return h * w; }
  int64_t out_plane() const { return oh * ow; }
  int64_t blocks() const { return (channels + kDepthwiseLanes - 1) / kDepthwiseLanes; }
  // Scratch floats one block needs (the kernels below).
  int64_t scratch_floats() const;
};

// The depthwise view of a 2-D Conv geometry, or false when it is not one
// (rank, group != channels, a channel multiplier other than 1).
bool depthwise_of(const ConvGradShape& s, Depthwise* d);

// Kernels on one block: channels c .. c + lanes - 1 (lanes <= 8) of one image,
// their planes `plane` floats apart (in_plane for x/dx, out_plane for y/dy),
// their filters taps() floats apart; `scratch` holds scratch_floats().
// The forward's epilogue: y = min(max(y + bias[l], lo), hi) (bias may be null).
struct DepthwiseEpilogue {
  const float* bias = nullptr;
  float lo = -INFINITY, hi = INFINITY;
};

struct DepthwiseKernels {
  void (*forward)(const Depthwise& d, int64_t lanes, const float* x, const float* w, const DepthwiseEpilogue& e,
                  float* y, float* scratch);
  void (*input_grad)(const Depthwise& d, int64_t lanes, const float* dy, const float* w, float* dx, float* scratch);
  // acc[taps][8] += this image's products (lane l: channel c + l); when
  // dy_sum is not null, dy_sum[l] = Σ of the image's dY plane c + l (the bias gradient's share).
  void (*filter_grad)(const Depthwise& d, int64_t lanes, const float* dy, const float* x, float* acc,
                      float* dy_sum, float* scratch);
};

// AVX2 where the CPU has it, else portable.
const DepthwiseKernels& depthwise_kernels();

}  // namespace ew::fast
