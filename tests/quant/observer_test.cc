#include "quant/observer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace ew::quant {
namespace {

HistogramObserver histogram(CalibrationMethod m, int bins = 2048) {
  HistogramObserver::Options o;
  o.method = m;
  o.bins = bins;
  return HistogramObserver(o);
}

std::vector<float> gaussian(int n, unsigned seed, float sigma = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, sigma);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = d(rng);
  return v;
}

TEST(ObserverTest, MinMaxIsExactAcrossBatches) {
  MinMaxObserver o;
  std::vector<float> a = {0.5f, -1.25f, 3.0f}, b = {7.5f, -0.5f, NAN, INFINITY};
  o.observe(a);
  o.observe(b);
  EXPECT_EQ(o.range().min, -1.25f);
  EXPECT_EQ(o.range().max, 7.5f);
  EXPECT_EQ(o.count(), 5);  // nan and inf ignored
}

TEST(ObserverTest, EmptyObserverGivesZeroRange) {
  MinMaxObserver m;
  auto h = histogram(CalibrationMethod::kPercentile);
  EXPECT_EQ(m.range().min, 0.0f);
  EXPECT_EQ(h.range().max, 0.0f);
  std::vector<float> zeros(10, 0.0f);
  h.observe(zeros);
  EXPECT_EQ(h.range().min, 0.0f);
  EXPECT_EQ(h.range().max, 0.0f);
  EXPECT_EQ(h.entropy_range(256).max, 0.0f);
}

TEST(ObserverTest, HistogramMemoryIsConstantAndRebinningKeepsCounts) {
  auto h = histogram(CalibrationMethod::kMinMax, 64);
  std::vector<float> a = {0.1f, 0.2f, 0.9f, 1.0f};
  h.observe(a);
  EXPECT_FALSE(h.is_signed());
  EXPECT_EQ(h.half_width(), 1.0);
  std::vector<float> b = {3.5f};  // two doublings: R = 4
  h.observe(b);
  EXPECT_EQ(h.half_width(), 4.0);
  std::vector<float> c = {-2.0f};  // becomes [-4, 4]
  h.observe(c);
  EXPECT_TRUE(h.is_signed());
  EXPECT_EQ(h.bins(), 64);
  int64_t total = 0;
  for (int64_t n : h.counts()) total += n;
  EXPECT_EQ(total, 6);
  // Bin width 0.125: 0.1 and 0.2 share bin [0, 0.125) and [0.125, 0.25) ... old pairs merge exactly:
  // 3.5 lies in [3.5, 3.625) = bin 32 + 28; -2 in [-2, -1.875) = bin 16.
  EXPECT_EQ(h.counts()[60], 1);
  EXPECT_EQ(h.counts()[16], 1);
  for (int k = 0; k < 1000; ++k) h.observe(gaussian(1000, static_cast<unsigned>(k), 100.0f));
  EXPECT_EQ(h.bins(), 64);
  EXPECT_EQ(h.counts().size(), 64u);
}

TEST(ObserverTest, BinsRoundUpToAMultipleOfFour) {
  EXPECT_EQ(histogram(CalibrationMethod::kMinMax, 10).bins(), 12);
  EXPECT_EQ(histogram(CalibrationMethod::kMinMax, 1).bins(), 8);
}

TEST(ObserverTest, UniformRangesAreNearlyTheFullRange) {
  auto h = histogram(CalibrationMethod::kPercentile);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-2.0f, 6.0f);
  for (int b = 0; b < 20; ++b) {
    std::vector<float> v(5000);
    for (float& x : v) x = d(rng);
    h.observe(v);
  }
  TensorRange mm = h.minmax_range(), p = h.percentile_range(99.99);
  EXPECT_NEAR(mm.min, -2.0f, 1e-2);
  EXPECT_NEAR(mm.max, 6.0f, 1e-2);
  EXPECT_NEAR(p.min, -2.0f, 0.02);
  EXPECT_NEAR(p.max, 6.0f, 0.02);
  EXPECT_GE(p.min, mm.min);
  EXPECT_LE(p.max, mm.max);
  TensorRange p90 = h.percentile_range(90.0);  // 5% off each tail of 8 wide: [-1.6, 5.6]
  EXPECT_NEAR(p90.min, -1.6f, 0.05);
  EXPECT_NEAR(p90.max, 5.6f, 0.05);
}

TEST(ObserverTest, PercentileAndEntropyClipGaussianOutliers) {
  auto h = histogram(CalibrationMethod::kPercentile);
  MinMaxObserver mm;
  for (int b = 0; b < 20; ++b) {
    auto v = gaussian(10000, static_cast<unsigned>(b));
    if (b == 7) v[3] = 80.0f, v[9] = -60.0f;  // rare outliers
    h.observe(v);
    mm.observe(v);
  }
  EXPECT_EQ(h.minmax_range().max, 80.0f);
  EXPECT_EQ(h.minmax_range().min, -60.0f);
  EXPECT_EQ(mm.range().max, 80.0f);
  TensorRange p = h.percentile_range(99.99);
  // 99.99% of N(0,1) two-sided lies within about ±3.9
  EXPECT_GT(p.max, 3.0f);
  EXPECT_LT(p.max, 5.5f);
  EXPECT_LT(p.min, -3.0f);
  EXPECT_GT(p.min, -5.5f);
  TensorRange e = h.entropy_range(256);
  EXPECT_LT(e.max, 20.0f);  // well below the max of 80
  EXPECT_GT(e.max, 2.0f);
  EXPECT_FLOAT_EQ(e.min, -e.max);
}

TEST(ObserverTest, NonNegativeTensorsStartAtZero) {
  auto h = histogram(CalibrationMethod::kEntropy);
  for (int b = 0; b < 10; ++b) {
    auto v = gaussian(10000, static_cast<unsigned>(100 + b));
    for (float& x : v) x = std::max(0.0f, x);  // ReLU: half zeros
    if (b == 3) v[0] = 50.0f;
    h.observe(v);
  }
  EXPECT_FALSE(h.is_signed());
  TensorRange e = h.range();
  EXPECT_EQ(e.min, 0.0f);
  EXPECT_GT(e.max, 2.0f);
  EXPECT_LT(e.max, 50.0f);
  TensorRange p = h.percentile_range(99.99);
  EXPECT_EQ(p.min, 0.0f);
  EXPECT_GT(p.max, 3.0f);
  EXPECT_LT(p.max, 6.0f);
}

TEST(ObserverTest, EntropyKeepsWholeRangeOfUniformData) {
  auto h = histogram(CalibrationMethod::kEntropy);
  std::vector<float> v(100000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) / static_cast<float>(v.size());
  h.observe(v);
  // Clipping a uniform distribution only hurts: the threshold stays near the max.
  EXPECT_GT(h.range().max, 0.9f);
  EXPECT_LE(h.range().max, 1.0f);
}

// Laplace-distributed values (heavy tails, no isolated outliers): entropy clips the tail.
TEST(ObserverTest, EntropyClipsHeavyTails) {
  auto h = histogram(CalibrationMethod::kEntropy);
  std::mt19937 rng(5);
  std::exponential_distribution<float> e(1.0f);
  std::bernoulli_distribution sign(0.5);
  for (int b = 0; b < 10; ++b) {
    std::vector<float> v(20000);
    for (float& x : v) x = sign(rng) ? e(rng) : -e(rng);
    h.observe(v);
  }
  TensorRange r = h.range();
  EXPECT_LT(r.max, 0.8f * h.max());
  EXPECT_GT(r.max, 3.0f);
  EXPECT_GT(r.min, 0.8f * h.min());
  EXPECT_LT(r.min, -3.0f);
}

// ReLU6-like: a spike of exact zeros and values spread over (0, 6]. Zeros are
// exact in any range, so they must not pull the threshold down.
TEST(ObserverTest, EntropyIgnoresTheSpikeOfZeros) {
  auto h = histogram(CalibrationMethod::kEntropy);
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(0.0f, 6.0f);
  std::bernoulli_distribution zero(0.6);
  std::vector<float> v(100000);
  for (float& x : v) x = zero(rng) ? 0.0f : u(rng);
  h.observe(v);
  EXPECT_EQ(h.range().min, 0.0f);
  EXPECT_GT(h.range().max, 5.5f);
}

TEST(ObserverTest, EntropyThresholdOfFewBinsKeepsAll) {
  EXPECT_EQ(entropy_threshold_bins({5, 3, 0, 1, 0, 0}, 128), 4);
  EXPECT_EQ(entropy_threshold_bins({0, 0}, 128), 1);
}

// One calibration sample of a small tensor (a classifier's 10 logits, a
// 64-channel pooled vector): too few values to call any of them an outlier,
// so neither method may clip below the observed extremes.
TEST(ObserverTest, FewValuesKeepTheWholeRange) {
  for (CalibrationMethod m : {CalibrationMethod::kPercentile, CalibrationMethod::kEntropy}) {
    auto h = histogram(m);
    std::vector<float> v = gaussian(64, 3u);
    v[7] = 9.0f;  // a real peak, not noise: the only evidence there is
    h.observe(v);
    TensorRange r = h.range();
    EXPECT_EQ(r.max, 9.0f) << calibration_method_name(m);
    EXPECT_EQ(r.min, *std::min_element(v.begin(), v.end())) << calibration_method_name(m);
  }
}

TEST(ObserverTest, MakeObserverFollowsTheMethod) {
  CalibrationOptions o;
  o.method = CalibrationMethod::kMinMax;
  EXPECT_NE(dynamic_cast<MinMaxObserver*>(make_observer(o).get()), nullptr);
  o.method = CalibrationMethod::kEntropy;
  EXPECT_NE(dynamic_cast<HistogramObserver*>(make_observer(o).get()), nullptr);
}

}  // namespace
}  // namespace ew::quant
