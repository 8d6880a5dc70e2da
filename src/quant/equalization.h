// Cross-layer equalization (Nagel et al., "Data-Free Quantization Through
// Weight Equalization and Bias Correction", ICCV 2019) for chains
//   Conv1 -> [Relu] -> Conv2
// in depthwise-separable nets: output channel i of Conv1 is divided by s_i
// and input channel i of Conv2 multiplied by s_i, with
//   s_i = sqrt(r1_i · r2_i) / r2_i = sqrt(r1_i / r2_i)
// (r = max |w| of the channel), so both channels end with the range
// sqrt(r1_i · r2_i) and per-tensor weight scales waste fewer levels. Conv1's
// bias is divided too. Exact for Relu and for no activation, since
// relu(x / s) = relu(x) / s for s > 0. Conv2 must be a plain (group 1) or
// depthwise Conv; every weight and the intermediate value must have one reader.
//
// ReLU6 (Clip 0..6) is not positive-homogeneous: clip(x / s, 0, 6) differs
// from clip(x, 0, 6) / s. By default chains through a Clip with an upper bound
// are skipped, keeping the float model's outputs unchanged. With
// relu6_as_relu the Clip is replaced by Relu first, as Nagel et al. do for
// MobileNetV2; this changes the float function wherever activations exceed 6.
#pragma once

#include "ir/graph.h"

namespace ew::quant {

struct EqualizeOptions {
  int version = 1;
  bool relu6_as_relu = false;
  int max_sweeps = 20;      // passes over all pairs (chains share middle layers)
  double tolerance = 1e-3;  // stop when every |log s_i| is below this
};

struct EqualizeReport {
  int pairs = 0;             // Conv pairs equalized
  int sweeps = 0;
  int clips_replaced = 0;    // ReLU6 turned into Relu (relu6_as_relu)
};

Status equalize(Model& model, const EqualizeOptions& options = {}, EqualizeReport* report = nullptr);

}  // namespace ew::quant
