// Depthwise 2-D convolution (group == channels == maps, one filter per
// channel) computed directly, one channel plane at a time, for the fast Conv,
// ConvGradInput and ConvGradFilter kernels: im2col + GEMM would run one
// 1-row GEMM per channel. Each plane is copied into a zero-bordered buffer in
// L1/L2 so the inner loops run along output rows without bounds checks
// (vectorized; unit strides compile to plain vector loads).
//
//   forward   y[oh][ow]  = Σ w[kh][kw] · xp[oh·sh + kh·dh][ow·sw + kw·dw]
//   dgrad     dxp[oh·sh + kh·dh][ow·sw + kw·dw] += w[kh][kw] · dy[oh][ow], then dx = dxp's interior
//   wgrad     dw[kh][kw] = Σ_n Σ_oh Σ_ow dy[oh][ow] · xp[oh·sh + kh·dh][ow·sw + kw·dw]
//
// xp is x padded by (pt, pl); its extent is what the windows read.
#pragma once

#include <cstdint>

#include "ops/grad/conv_grad_geometry.h"

namespace ew::fast {

struct Depthwise {
  int64_t batch = 0, channels = 0;
  int64_t h = 0, w = 0, oh = 0, ow = 0;
  int64_t kh = 0, kw = 0, sh = 1, sw = 1, dh = 1, dw = 1, pt = 0, pl = 0;
  int64_t ph = 0, pw = 0;  // padded plane: rows and columns the windows read

  int64_t taps() const { return kh * kw; }
  int64_t in_plane() const { return h * w; }
  int64_t out_plane() const { return oh * ow; }
};

// The depthwise view of a 2-D Conv geometry, or false when it is not one
// (rank, group != channels, a channel multiplier other than 1).
bool depthwise_of(const ConvGradShape& s, Depthwise* d);

// Per-plane kernels, chosen for the CPU (AVX2+FMA or portable).
struct DepthwiseKernels {
  // y plane (oh·ow) from the x plane; `padded` is scratch of ph·pw floats.
  void (*forward)(const Depthwise& d, const float* x, const float* w, float* y, float* padded);
  // dx plane (h·w) from the dy plane; `padded` is scratch of ph·pw floats.
  void (*input_grad)(const Depthwise& d, const float* dy, const float* w, float* dx, float* padded);
  // Adds the plane's products into acc[taps·ow] (per tap, per output column);
  // `padded` is scratch of ph·pw floats.
  void (*filter_grad)(const Depthwise& d, const float* dy, const float* x, float* acc, float* padded);
};

const DepthwiseKernels& depthwise_kernels();

}  // namespace ew::fast
