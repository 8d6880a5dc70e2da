// Sampled kernel models: small one-kernel ONNX models over a spread of
// configurations (kernel size, stride, channels, resolution), the way nn-Meter
// trains its kernel predictors on sampled kernel configurations rather than
// only on whole models. Each model is one operation (a convolution with its
// activation, a depthwise convolution, a pooling, an elementwise add, a
// concat, a fully connected layer, a standalone batch norm) on a
// 1 x C x H x W input, so its steps isolate one kernel type at one shape —
// except "chain": four wide 3x3 convolutions whose 10-40 MiB of weights do not
// stay in the last-level cache between runs, as in ResNet's later stages.
// (Standalone int8 QLinearConv samples at batch 1 were tried and made the
// int8 models' predictions worse, so int8 kernels are learned from models only.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

struct SampledKernel {
  std::string name;  // "kernel_conv_k3s1_c32-64_h56", always starting with "kernel_"
  Model model;
};

// `count` configurations drawn deterministically from `seed`, cycling through
// the kernel families; sizes are capped at ~0.3 GMACs so each runs in well under 50 ms.
Result<std::vector<SampledKernel>> sample_kernel_models(int count, uint64_t seed = 1);

}  // namespace ew
