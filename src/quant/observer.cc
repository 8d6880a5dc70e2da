#include "quant/observer.h"

#include <algorithm>
#include <cmath>

namespace ew::quant {

namespace {

// Finite minimum and maximum of `values`; false when none is finite.
bool finite_range(std::span<const float> values, float& lo, float& hi, int64_t& n) {
  lo = 0.0f, hi = 0.0f, n = 0;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    if (n == 0 || v < lo) lo = v;
    if (n == 0 || v > hi) hi = v;
    ++n;
  }
  return n > 0;
}

}  // namespace

void MinMaxObserver::observe(std::span<const float> values) {
  float lo, hi;
  int64_t n;
  if (!finite_range(values, lo, hi, n)) return;
  min_ = count_ == 0 ? lo : std::min(min_, lo);
  max_ = count_ == 0 ? hi : std::max(max_, hi);
  count_ += n;
}

TensorRange MinMaxObserver::range() const { return {min_, max_}; }

HistogramObserver::HistogramObserver(const Options& options) : options_(options) {
  int bins = std::max(8, options.bins);
  bins = (bins + 3) / 4 * 4;
  counts_.assign(static_cast<size_t>(bins), 0);
}

// [0, R] -> [-R, R]: bin i of the old histogram lies inside bin B/2 + i/2 of the new one.
void HistogramObserver::make_signed() {
  std::vector<int64_t> out(counts_.size(), 0);
  size_t half = counts_.size() / 2;
  for (size_t i = 0; i < counts_.size(); ++i) out[half + i / 2] += counts_[i];
  counts_ = std::move(out);
  signed_ = true;
}

// R -> 2R: in [0, R] mode bin i goes to i/2; in [-R, R] mode old bin i starts
// at -R + i·w = -2R + (B/2 + i)·w, i.e. inside new bin (B/2 + i)/2.
void HistogramObserver::double_range() {
  std::vector<int64_t> out(counts_.size(), 0);
  size_t shift = signed_ ? counts_.size() / 2 : 0;
  for (size_t i = 0; i < counts_.size(); ++i) out[(shift + i) / 2] += counts_[i];
  counts_ = std::move(out);
  r_ *= 2;
}

void HistogramObserver::grow_to(float lo, float hi) {
  if (lo < 0 && !signed_) make_signed();
  double need = std::max(-static_cast<double>(lo), static_cast<double>(hi));
  if (r_ == 0) r_ = need;
  while (r_ > 0 && need > r_) double_range();
}

void HistogramObserver::observe(std::span<const float> values) {
  float lo, hi;
  int64_t n;
  if (!finite_range(values, lo, hi, n)) return;
  grow_to(lo, hi);
  min_ = count_ == 0 ? lo : std::min(min_, lo);
  max_ = count_ == 0 ? hi : std::max(max_, hi);
  count_ += n;
  const int64_t last = static_cast<int64_t>(counts_.size()) - 1;
  if (r_ == 0) {  // only zeros so far: they belong to the bin starting at 0
    counts_[signed_ ? counts_.size() / 2 : 0] += n;
    zeros_ += n;
    return;
  }
  const double lower = signed_ ? -r_ : 0.0;
  const double scale = static_cast<double>(counts_.size()) / (signed_ ? 2 * r_ : r_);
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    zeros_ += v == 0.0f ? 1 : 0;
    double pos = std::floor((static_cast<double>(v) - lower) * scale);
    int64_t i = std::clamp(static_cast<int64_t>(std::clamp(pos, 0.0, static_cast<double>(last))), int64_t{0}, last);
    ++counts_[static_cast<size_t>(i)];
  }
}

TensorRange HistogramObserver::minmax_range() const { return {min_, max_}; }

TensorRange HistogramObserver::percentile_range(double percentile) const {
  if (count_ == 0) return {};
  double keep = std::clamp(percentile, 0.0, 100.0) / 100.0;
  double clip = static_cast<double>(count_) * (1.0 - keep);
  // Fewer values than it takes to drop one whole value: nothing is an outlier.
  if (clip < 1.0) return minmax_range();
  double low_cut = min_ >= 0 ? 0.0 : clip / 2, high_cut = min_ >= 0 ? clip : clip / 2;
  const double width = (signed_ ? 2 * r_ : r_) / static_cast<double>(counts_.size());
  const double lower = signed_ ? -r_ : 0.0;
  const size_t b = counts_.size();
  // Walks inward from one end until `cut` values lie outside; interpolates within the bin.
  auto edge = [&](double cut, bool from_top) {
    double seen = 0;
    for (size_t k = 0; k < b; ++k) {
      size_t i = from_top ? b - 1 - k : k;
      double c = static_cast<double>(counts_[i]);
      if (c > 0 && seen + c > cut) {
        double frac = (cut - seen) / c;
        return from_top ? lower + (static_cast<double>(i + 1) - frac) * width : lower + (static_cast<double>(i) + frac) * width;
      }
      seen += c;
    }
    return from_top ? lower : lower + static_cast<double>(b) * width;
  };
  float lo = low_cut > 0 ? static_cast<float>(edge(low_cut, false)) : min_;
  float hi = high_cut > 0 ? static_cast<float>(edge(high_cut, true)) : max_;
  lo = std::clamp(lo, min_, max_);
  hi = std::clamp(hi, min_, max_);
  if (lo > hi) lo = hi = (lo + hi) / 2;
  return {lo, hi};
}

TensorRange HistogramObserver::entropy_range(int levels) const {
  if (count_ == 0) return {};
  if (r_ == 0) return {min_, max_};
  // The divergence of a histogram this sparse measures the sample, not the
  // distribution (one small calibration sample, a small tensor): min/max.
  if (count_ - zeros_ < kMinEntropyValuesPerLevel * std::max(1, levels)) return minmax_range();
  const size_t b = counts_.size();
  const double width = (signed_ ? 2 * r_ : r_) / static_cast<double>(b);
  std::vector<int64_t> magnitude;
  if (signed_) {
    magnitude.resize(b / 2);
    for (size_t j = 0; j < b / 2; ++j) magnitude[j] = counts_[b / 2 + j] + counts_[b / 2 - 1 - j];
    levels = std::max(1, levels / 2);
  } else {
    magnitude = counts_;
  }
  magnitude[0] -= std::min(magnitude[0], zeros_);  // zeros are exact; see the header
  int kept = entropy_threshold_bins(magnitude, std::max(1, levels));
  double t = static_cast<double>(kept) * width;
  if (!signed_) return {std::min(0.0f, min_), static_cast<float>(std::min(t, static_cast<double>(max_)))};
  float tf = static_cast<float>(t);
  return {std::max(-tf, min_), std::min(tf, max_)};
}

TensorRange HistogramObserver::range() const {
  switch (options_.method) {
    case CalibrationMethod::kMinMax: return minmax_range();
    case CalibrationMethod::kPercentile: return percentile_range(options_.percentile);
    case CalibrationMethod::kEntropy: return entropy_range(options_.quant_levels);
  }
  return minmax_range();
}

std::unique_ptr<Observer> make_observer(const CalibrationOptions& options) {
  if (options.method == CalibrationMethod::kMinMax) return std::make_unique<MinMaxObserver>();
  HistogramObserver::Options o;
  o.method = options.method;
  o.bins = options.bins;
  o.percentile = options.percentile;
  o.quant_levels = options.quant_levels;
  return std::make_unique<HistogramObserver>(o);
}

}  // namespace ew::quant
