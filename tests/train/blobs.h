// Small labelled data for training tests: three classes over 4 features
// ([N, 1, 1, 4] images); sample i has class i % 3 and feature (i % 3) raised
// by 1.5 above Gaussian noise of standard deviation `noise`.
#pragma once

#include <random>

#include "train/training_data.h"

namespace ew::train::test {

inline TrainingData blobs(int64_t n, uint32_t seed, float noise = 0.3f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> draw(0.0f, noise);
  TrainingData d;
  d.inputs = Tensor::create(DType::kFloat32, {n, 1, 1, 4}).value();
  d.labels = Tensor::create(DType::kInt64, {n}).value();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = i % 3;
    d.labels.data<int64_t>()[i] = c;
    for (int64_t k = 0; k < 4; ++k) d.inputs.data<float>()[i * 4 + k] = (k == c ? 1.5f : 0.0f) + draw(rng);
  }
  return d;
}

}  // namespace ew::train::test
