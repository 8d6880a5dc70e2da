// WinogradConv: a prepared fp32 3x3 stride-1 convolution (Conv, and
// com.microsoft::FusedConv with its activation and Z input) using Winograd
// F(4x4, 3x3). Prepare transforms constant weights once and allocates all
// scratch for one input shape; run() allocates nothing. Weights (and bias)
// that are graph inputs, as in training graphs, are transformed at every run
// (a float transform vectorized over output channels, a small cost next to a
// batch's convolution); the same kernel then also computes the input
// gradient of a 3x3 stride-1 Conv (ConvGradInput), which is a 3x3 stride-1
// convolution of dY with the forward weights transposed and flipped.
//
// Per image, each worker (one per pool thread) takes a band of tile rows (or,
// with few tiles, a range of output channels) and runs everything for it in
// one parallel call: copy its input rows into a zero-padded, channel-blocked
// buffer; per block of tiles, input transform → 36 GEMMs → output transform
// into a channel-blocked staging band; then write its NCHW output rows adding
// bias and Z and applying the activation while the rows are in cache.
//
// Accuracy: F(4x4, 3x3) in fp32 has errors a few times larger than direct
// convolution (the transforms have coefficients up to 8 and 1/24). Measured on
// ResNet-18 layers (weights ~ N(0, 2/fan_in), post-ReLU inputs): max abs error
// 2.5e-5 to 7.5e-5, i.e. 5e-6 to 1.5e-5 of the largest |output|, growing
// slowly with the channel count; the tests bound it at 1e-4 of it.
#pragma once

#include <memory>

#include "ops/fused/fused_activation.h"
#include "ops/nn/winograd_kernels.h"
#include "ops/op.h"

namespace ew {

struct WinogradConvParams {
  int64_t batch = 0, cin = 0, cout = 0, height = 0, width = 0;
  int64_t out_height = 0, out_width = 0;
  int64_t pad_top = 0, pad_left = 0;
  const float* weights = nullptr;  // OIHW [cout][cin][3][3]; read (and bias copied) during make
  const float* bias = nullptr;     // [cout] or nullptr
  // Weights read from this input at every run instead (weights == nullptr), of
  // shape [cout][cin][3][3], or with `adjoint` [cin][cout][3][3] used
  // transposed and flipped (the input gradient of a Conv with those weights).
  int weights_input = -1;
  bool adjoint = false;
  int bias_input = -1;              // bias read from this input at every run instead ([cout])
  FusedActivation activation;       // FusedConv's, applied after bias and Z
  int z_input = -1;                 // input index of Z (added before the activation), or -1
  size_t threads = 1;               // threads of the pool the kernel will run on
};

// When Winograd pays off against a good direct convolution (XNNPACK), from
// bench/winograd_bench.cc on one Zen 4 core (speed-ups vary ±20 % on the
// shared machine):
// - at least 16 input and output channels (16 channels at 56x56: 1.1-1.4x;
//   fewer channels leave the transforms and copies to dominate, unmeasured);
// - at most 4 MiB of transformed weights per 4x4 output tile: transformed
//   weights are 4x the originals and are streamed once per image, so 512
//   channels at 7x7 (9 MiB per tile) run 0.8-0.9x of XNNPACK, while 256
//   channels at 7x7 (2.3 MiB per tile) run 1.6-1.9x and 512 at 14x14 1.2-1.3x.
inline constexpr int64_t kWinogradMinChannels = 16;
inline constexpr int64_t kWinogradMaxWeightBytesPerTile = int64_t{4} << 20;

// Builds the kernel for `params` with the given variant (tests pass each one).
Result<std::unique_ptr<PreparedKernel>> make_winograd_conv(const WinogradConvParams& params,
                                                           const WinogradKernels& kernels);

// Reads a Conv / FusedConv node and its concrete types into params. Returns
// false when Winograd cannot compute the node (dtype, kernel size, strides,
// dilations, groups, Z shape, activation). Weights and bias that are not
// constants are read at every run.
bool winograd_conv_params(const PrepareContext& ctx, bool fused, WinogradConvParams* params);
// Whether Winograd is expected to beat direct convolution (thresholds above).
bool winograd_pays_off(const WinogradConvParams& params);

struct WinogradPrepareOptions {
  const WinogradKernels* kernels = nullptr;  // nullptr: the fastest this CPU runs
  bool only_if_faster = true;                // decline when !winograd_pays_off
};

// prepare() of the fast kernels: nullptr when the node is not supported (or,
// with only_if_faster, not worth it); the reference kernel then runs.
Result<std::unique_ptr<PreparedKernel>> prepare_winograd_conv(const PrepareContext& ctx, bool fused,
                                                              const WinogradPrepareOptions& options = {});

}  // namespace ew
