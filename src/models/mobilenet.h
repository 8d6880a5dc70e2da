// A MobileNetV2-style network built in code: the bundled demo model, and a
// template for architecture search. Weights are deterministic (He-normal from
// a seed) with BatchNormalization kept as separate nodes, as exporters emit them.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace ew {

struct InvertedResidual {
  int64_t expand = 6;    // expansion factor t
  int64_t channels = 16; // output channels c
  int64_t repeats = 1;   // n
  int64_t stride = 1;    // s of the first block
};

struct MobileNetConfig {
  int64_t resolution = 96;
  int64_t in_channels = 3;
  int64_t classes = 10;
  int64_t stem_channels = 16;
  int64_t head_channels = 128;
  std::vector<InvertedResidual> blocks = {{1, 8, 1, 1}, {4, 16, 2, 2}, {4, 24, 2, 2}, {4, 32, 2, 2}};
  bool relu6 = true;      // Clip(0, 6) as in MobileNetV2; else Relu
  uint64_t seed = 7;
  int64_t opset = 17;
};

// Input "input" float32[N, in_channels, resolution, resolution]; output "logits" float32[N, classes].
Result<Model> build_mobilenet(const MobileNetConfig& config);

}  // namespace ew
