// Observers: streaming summaries of one tensor's values across calibration
// samples, turned into a float range at the end. Their memory is fixed at
// construction (a min/max pair, or a histogram of a fixed number of bins) and
// never grows with the number of samples.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "quant/calibration.h"

namespace ew::quant {

class Observer {
 public:
  virtual ~Observer() = default;
  // Adds values; non-finite values (nan, ±inf) are ignored.
  virtual void observe(std::span<const float> values) = 0;
  // The range chosen by the observer's method. [0, 0] before any finite value.
  virtual TensorRange range() const = 0;
  // Finite values seen so far.
  virtual int64_t count() const = 0;
};

// Exact running minimum and maximum.
class MinMaxObserver : public Observer {
 public:
  void observe(std::span<const float> values) override;
  TensorRange range() const override;
  int64_t count() const override { return count_; }

 private:
  float min_ = 0.0f, max_ = 0.0f;
  int64_t count_ = 0;
};

// A histogram with a fixed number of bins anchored at zero: it covers [0, R]
// while every value seen is non-negative, and [-R, R] once a negative value
// appears. When a value falls outside, R doubles (as often as needed) and
// each pair of neighbouring bins merges into one bin of the wider histogram,
// so old counts map exactly onto new bins and memory stays constant. The
// first finite value(s) fix the initial R (the largest magnitude of the first
// batch). The exact minimum and maximum are tracked beside the bins.
class HistogramObserver : public Observer {
 public:
  static constexpr int64_t kMinEntropyValuesPerLevel = 4;

  struct Options {
    CalibrationMethod method = CalibrationMethod::kPercentile;
    int bins = 2048;            // rounded up to a multiple of 4 (at least 8)
    double percentile = 99.99;  // kPercentile: share of values kept, in percent
    int quant_levels = 256;     // kEntropy: levels of the target integer type
  };
  explicit HistogramObserver(const Options& options);

  void observe(std::span<const float> values) override;
  TensorRange range() const override;
  int64_t count() const override { return count_; }

  // The three ways to read a range from the histogram (range() picks one).
  TensorRange minmax_range() const;
  // Keeps `percentile` % of the values: the clipped share is split evenly
  // between both tails, except for non-negative tensors where all of it comes
  // off the top and the range starts at the minimum. Bin edges are
  // interpolated linearly; the result stays within [min, max].
  TensorRange percentile_range(double percentile) const;
  // TensorRT-style entropy calibration: the threshold t minimizing the KL
  // divergence between the histogram clipped at t and its quantization to
  // `levels` levels. Tensors with negative values are calibrated on the
  // histogram of |x| with levels / 2 levels per side (symmetric int8) and get
  // [-t, t] clipped to [min, max]; non-negative tensors are calibrated on x
  // with all `levels` levels and get [0, t]. Exact zeros are left out of the
  // search: zero is exactly representable (ranges always include it), and the
  // spike of zeros after ReLU/ReLU6 would otherwise dominate the divergence
  // and pull the threshold far too low. With fewer than
  // kMinEntropyValuesPerLevel non-zero values per level seen, the histogram
  // is too sparse to judge and the range is min/max; likewise percentile
  // clips nothing while the clipped share is below one value.
  TensorRange entropy_range(int levels) const;

  // Introspection, for tests and reports.
  int bins() const { return static_cast<int>(counts_.size()); }
  bool is_signed() const { return signed_; }
  double half_width() const { return r_; }  // R: the histogram covers [0, R] or [-R, R]
  const std::vector<int64_t>& counts() const { return counts_; }
  float min() const { return min_; }
  float max() const { return max_; }

 private:
  void grow_to(float lo, float hi);
  void make_signed();
  void double_range();

  Options options_;
  std::vector<int64_t> counts_;
  bool signed_ = false;
  double r_ = 0.0;  // 0 until the first non-zero value
  float min_ = 0.0f, max_ = 0.0f;
  int64_t count_ = 0;
  int64_t zeros_ = 0;  // values exactly 0 (also counted in their bin)
};

// The threshold search behind entropy_range, on a histogram of magnitudes:
// `counts[i]` counts values in [i·width, (i+1)·width). Returns the number of
// leading bins kept (the threshold is that many bins times the width).
int entropy_threshold_bins(const std::vector<int64_t>& counts, int levels);

// An observer for `options.method`: MinMaxObserver for kMinMax, else a histogram.
std::unique_ptr<Observer> make_observer(const CalibrationOptions& options);

}  // namespace ew::quant
