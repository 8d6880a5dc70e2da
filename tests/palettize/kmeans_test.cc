// One-dimensional k-means on known clusters, ties, too few distinct values.
#include "palettize/kmeans.h"

#include <gtest/gtest.h>

#include <random>

namespace ew::palettize {
namespace {

TEST(KMeans1D, FindsKnownClusters) {
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  const std::vector<float> centres{-2.0f, -0.5f, 0.25f, 3.0f};
  std::vector<float> v;
  std::vector<int> truth;
  for (int i = 0; i < 4000; ++i) {
    const int c = (i * 7) % 4;
    v.push_back(centres[c] + noise(rng));
    truth.push_back(c);
  }
  Palette p = kmeans_1d(v.data(), static_cast<int64_t>(v.size()), 4);
  ASSERT_EQ(p.centroids.size(), 4u);
  for (int c = 0; c < 4; ++c) EXPECT_NEAR(p.centroids[c], centres[c], 2e-3f) << c;
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(p.index[i], truth[i]) << i;
  EXPECT_LT(p.squared_error, 4000 * 2e-4);
}

TEST(KMeans1D, EveryValueGetsItsNearestCentroid) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(5000);
  for (float& x : v) x = u(rng);
  Palette p = kmeans_1d(v.data(), static_cast<int64_t>(v.size()), 16);
  ASSERT_EQ(p.centroids.size(), 16u);
  EXPECT_TRUE(std::is_sorted(p.centroids.begin(), p.centroids.end()));
  double sse = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const float d = std::fabs(v[i] - p.centroids[p.index[i]]);
    for (float c : p.centroids) ASSERT_LE(d, std::fabs(v[i] - c) + 1e-7f);
    sse += double(d) * d;
  }
  EXPECT_NEAR(p.squared_error, sse, 1e-6 * sse + 1e-9);
  // Uniform data: a 16-level quantizer has step 2/16, error variance step²/12 per value.
  EXPECT_LT(p.squared_error / v.size(), 1.2 * (0.125 * 0.125 / 12));
}

TEST(KMeans1D, FewerDistinctValuesThanClustersAreExact) {
  const std::vector<float> v{1, 1, 2, 2, 2, 5, 1};
  Palette p = kmeans_1d(v.data(), static_cast<int64_t>(v.size()), 16);
  EXPECT_EQ(p.centroids, (std::vector<float>{1, 2, 5}));
  EXPECT_EQ(p.squared_error, 0.0);
  const std::vector<float> one{0.5f};
  EXPECT_EQ(kmeans_1d(one.data(), 1, 4).centroids, (std::vector<float>{0.5f}));
}

}  // namespace
}  // namespace ew::palettize
