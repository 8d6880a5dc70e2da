// Weight palettization (Core ML Tools' name for k-means weight clustering):
// each large weight tensor becomes a codebook of 2^bits floats and an index
// per weight, stored as standard ONNX that any runtime loads:
//
//   packed indices (uint8, 8/bits per byte for 1, 2 and 4 bits; one per byte
//   for 3 and 5-8 bits) -> BitShift pairs unpack them -> Concat, Reshape,
//   Slice -> Cast(int64) -> Gather(codebook) -> the weight, under its old name
//
// so the consumers are unchanged and the codebook stays a trainable float
// initializer: `edgewise train` on a palettized model fine-tunes the
// centroids (Gather's gradient) with every index fixed.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew::palettize {

struct PalettizeOptions {
  int bits = 4;                        // 1..8: 2^bits centroids per tensor
  int64_t min_elements = 2048;         // smaller weights stay float (unpacking them costs more than it saves)
  std::vector<std::string> skip;       // glob patterns of initializer names left float
};

struct LayerPalette {
  std::string name;
  int64_t elements = 0;
  int clusters = 0;     // centroids in use
  double sqnr_db = 0;   // of the palettized weight against the original
  int64_t bytes_before = 0, bytes_after = 0;  // float weight vs packed indices + codebook
};

struct PalettizeReport {
  int bits = 0;
  std::vector<LayerPalette> layers;  // in initializer-name order
  int64_t float_weight_bytes = 0;    // every float initializer before
  int64_t palettized_bytes = 0;      // ... after (palettized ones as indices + codebooks)
};

// Palettizes the weights (float initializers of rank >= 2 read only as the
// weights of Conv, ConvTranspose, Gemm and MatMul) in place. Needs opset >= 11
// (BitShift) and raises models below 13 to 13.
Result<PalettizeReport> palettize(Model& model, const PalettizeOptions& options);

// True when the node is one palettize() added (to unpack indices or look up a codebook).
bool is_palette_node(const Node& node);

}  // namespace ew::palettize
