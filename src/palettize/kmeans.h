// One-dimensional k-means: the palette (codebook) of a weight tensor.
//
// Lloyd's algorithm on the sorted values: clusters of a 1-D k-means are runs
// of the sorted values, so with prefix sums each iteration costs O(k log n)
// after one sort; the centroids start at the values' quantiles, and the result
// is deterministic. Every value then gets the index of its nearest centroid.
#pragma once

#include <cstdint>
#include <vector>

namespace ew::palettize {

struct Palette {
  std::vector<float> centroids;  // ascending; at most k (fewer when there are fewer distinct values)
  std::vector<uint8_t> index;    // per value: its centroid
  double squared_error = 0;      // Σ (value - centroid)²
  int iterations = 0;
};

// k in [1, 256]; n >= 1.
Palette kmeans_1d(const float* values, int64_t n, int k, int max_iterations = 100);

}  // namespace ew::palettize
