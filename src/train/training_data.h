// Training data held in memory: inputs [N, ...] and labels (int64 class
// indices [N], or float targets [N, ...]), seeded batching, a held-out
// validation split and image augmentation.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"

namespace ew::train {

struct TrainingData {
  Tensor inputs;  // float32 [N, ...]
  Tensor labels;  // int64 [N] or float32 [N, ...]
  int64_t size() const { return inputs.defined() ? inputs.dim(0) : 0; }
};

struct Augmentation {
  int64_t crop_padding = 0;  // random crop of the original size from the image zero-padded by this much
  bool horizontal_flip = false;
  bool any() const { return crop_padding > 0 || horizontal_flip; }
};

// Fashion-MNIST images and int64 labels.
TrainingData from_labeled(const LabeledDataset& d);
// X.npy (float32 [N, ...]) and Y.npy (integer class indices [N], converted to
// int64, or float32 targets [N, ...]); the first dims must agree.
Result<TrainingData> load_npy_pair(const std::string& inputs_path, const std::string& labels_path);
// Checks that the data fits a model input/labels pair: same N, non-empty.
Status check_data(const TrainingData& d);

// Only the samples whose class index is in `classes` (labels keep their values).
Result<TrainingData> select_classes(const TrainingData& d, const std::vector<int64_t>& classes);

// Splits off the last `fraction` of a seeded permutation as validation data.
Result<std::pair<TrainingData, TrainingData>> split_validation(const TrainingData& d, double fraction, uint64_t seed);

// The rows `index` of d, as one batch; augments images [B, C, H, W] with `rng`.
Result<TrainingData> batch(const TrainingData& d, const std::vector<int64_t>& index, const Augmentation& a,
                           std::mt19937_64& rng);

// A permutation of 0..n-1 drawn from rng (Fisher-Yates; the same on every platform).
std::vector<int64_t> permutation(int64_t n, std::mt19937_64& rng);

}  // namespace ew::train
