// Labeled datasets read from disk: calibration, accuracy evaluation and training.
//
// Fashion-MNIST comes from Debian's `dataset-fashion-mnist` package:
// /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
// (IDX files, gzip-compressed). Images become float32 N×1×28×28 with pixels
// scaled to [0, 1] (the layout the project's fashion models take).
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace ew {

struct LabeledDataset {
  Tensor images;            // float32 [N, 1, H, W], values in [0, 1]
  std::vector<int> labels;  // N class indices
};

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// The first `count` samples (all when count <= 0) of the "train" (60,000) or
// "test" (10,000) split. `dir` overrides the folder (tests use small files).
// A missing file gives a not-found Status naming the path and the package.
Result<LabeledDataset> load_fashion_mnist(const std::string& split, int count, const std::string& dir = kFashionMnistDir);

// `count` samples of a split spread over all of it: a fixed-seed random subset
// (the same one every time), kept in file order. All when count <= 0 or
// count >= the split's size. `total` (optional) receives the split's size.
Result<LabeledDataset> sample_fashion_mnist(const std::string& split, int count, int64_t* total = nullptr,
                                            const std::string& dir = kFashionMnistDir);

// An IDX file (the MNIST format: magic 0x0000TTNN, big-endian dims, then
// data), gzip-compressed or plain, holding unsigned bytes (type 0x08).
// Reads at most `max_items` items along the first dim (all when <= 0).
// Returns uint8 data with the file's dims, first dim capped.
Result<Tensor> read_idx_file(const std::string& path, int64_t max_items = 0);
// The same from bytes already in memory (uncompressed).
Result<Tensor> parse_idx(const std::string& bytes, const std::string& what, int64_t max_items = 0);

}  // namespace ew
