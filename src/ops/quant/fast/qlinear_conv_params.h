// What the int8 QLinearConv kernels need from a node, read once at prepare:
// the problem shape, types, zero points, bias and the requantization scales
// computed exactly as the reference kernel computes them
// (x_scale * w_scale[m] / y_scale in float).
#pragma once

#include <vector>

#include "ops/op.h"
#include "ops/quant/int_conv.h"

namespace ew::quant::fast {

struct QConvParams {
  IntConvShape shape;
  bool x_signed = false, w_unsigned = false, y_signed = false;
  int32_t x_zp = 0, y_zp = 0;
  std::vector<int32_t> w_zp;   // per output channel, in W's own domain
  std::vector<int32_t> bias;   // per output channel (zeros when absent)
  std::vector<float> scale;    // per output channel
  const Tensor* w = nullptr;   // constant weights [M, C/group, kH, kW]
};

// False when the node is not one the int8 kernels take: non-constant weights,
// scales, zero points or bias; not 2-D; types other than uint8/int8; or a CPU
// without AVX-512 VNNI.
bool read_qconv_params(const PrepareContext& ctx, QConvParams* p);

// Worker count for a prepared kernel: the pool's threads (at least 1).
int pool_workers(pthreadpool_t pool);

}  // namespace ew::quant::fast
