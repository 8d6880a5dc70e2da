#include "palettize/kmeans.h"

#include <algorithm>
#include <cmath>

namespace ew::palettize {
namespace {

// Centroids at the quantiles of the sorted values, duplicates removed.
std::vector<double> quantile_start(const std::vector<float>& sorted, int k) {
  std::vector<double> c;
  const int64_t n = static_cast<int64_t>(sorted.size());
  for (int j = 0; j < k; ++j) {
    const double v = sorted[static_cast<size_t>(std::min<int64_t>(n - 1, static_cast<int64_t>((j + 0.5) * n / k)))];
    if (c.empty() || v != c.back()) c.push_back(v);
  }
  return c;
}

// The first sorted position of each cluster: values below the midpoint to the next centroid stay in it.
std::vector<int64_t> cluster_starts(const std::vector<float>& sorted, const std::vector<double>& c) {
  std::vector<int64_t> start{0};
  for (size_t j = 0; j + 1 < c.size(); ++j) {
    const double mid = 0.5 * (c[j] + c[j + 1]);
    start.push_back(std::upper_bound(sorted.begin(), sorted.end(), mid, [](double m, float v) { return m < v; }) -
                    sorted.begin());
  }
  start.push_back(static_cast<int64_t>(sorted.size()));
  return start;
}

}  // namespace

Palette kmeans_1d(const float* values, int64_t n, int k, int max_iterations) {
  k = std::clamp(k, 1, 256);
  std::vector<float> sorted(values, values + n);
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> prefix(static_cast<size_t>(n) + 1, 0.0);
  for (int64_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + sorted[i];
  std::vector<double> c = quantile_start(sorted, k);
  Palette p;
  for (p.iterations = 0; p.iterations < max_iterations; ++p.iterations) {
    const std::vector<int64_t> start = cluster_starts(sorted, c);
    bool moved = false;
    for (size_t j = 0; j < c.size(); ++j) {
      const int64_t lo = start[j], hi = start[j + 1];
      if (hi <= lo) continue;  // empty: keep the centroid where it is
      const double mean = (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
      moved = moved || mean != c[j];
      c[j] = mean;
    }
    if (!moved) break;
  }
  for (double v : c) p.centroids.push_back(static_cast<float>(v));
  std::sort(p.centroids.begin(), p.centroids.end());
  p.centroids.erase(std::unique(p.centroids.begin(), p.centroids.end()), p.centroids.end());
  p.index.resize(static_cast<size_t>(n));
  const std::vector<float>& cf = p.centroids;
  for (int64_t i = 0; i < n; ++i) {
    const float v = values[i];
    auto it = std::lower_bound(cf.begin(), cf.end(), v);
    size_t j = static_cast<size_t>(it - cf.begin());
    if (j == cf.size() || (j > 0 && v - cf[j - 1] <= cf[j] - v)) --j;
    p.index[i] = static_cast<uint8_t>(j);
    const double d = static_cast<double>(v) - cf[j];
    p.squared_error += d * d;
  }
  return p;
}

}  // namespace ew::palettize
