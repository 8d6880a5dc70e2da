// Entropy calibration (TensorRT's "KL divergence" calibrator, as in MXNet and
// ONNX Runtime): for every candidate threshold of i bins, the reference
// distribution P is the histogram clipped at i (outliers added to its last
// bin) and Q is the unclipped part quantized to `levels` levels and expanded
// back over P's non-empty bins. The threshold with the smallest KL(P || Q)
// balances clipping error against rounding error.
#include <algorithm>
#include <cmath>
#include <limits>

#include "quant/observer.h"

namespace ew::quant {

namespace {

// Moves a little mass onto empty bins so the KL divergence stays finite.
void smooth(std::vector<double>& d) {
  constexpr double kEps = 1e-4;
  size_t zeros = static_cast<size_t>(std::count(d.begin(), d.end(), 0.0));
  if (zeros == 0 || zeros == d.size()) return;
  double take = kEps * static_cast<double>(zeros) / static_cast<double>(d.size() - zeros);
  for (double& v : d) v = v == 0 ? kEps : std::max(v - take, kEps * 0.1);
}

double kl_divergence(std::vector<double>& p, std::vector<double>& q) {
  double sp = 0, sq = 0;
  for (double v : p) sp += v;
  for (double v : q) sq += v;
  if (sp <= 0 || sq <= 0) return std::numeric_limits<double>::infinity();
  for (double& v : p) v /= sp;
  for (double& v : q) v /= sq;
  smooth(p);
  smooth(q);
  double kl = 0;
  for (size_t k = 0; k < p.size(); ++k)
    if (p[k] > 0) kl += p[k] * std::log(p[k] / q[k]);
  return kl;
}

// KL divergence of keeping the first `i` bins (i >= levels).
double clipping_divergence(const std::vector<int64_t>& counts, size_t i, size_t levels, double outliers) {
  std::vector<double> p(counts.begin(), counts.begin() + static_cast<long>(i));
  std::vector<double> q(i, 0.0);
  for (size_t k = 0; k < levels; ++k) {
    size_t begin = k * i / levels, end = (k + 1) * i / levels;
    double sum = 0;
    size_t nonzero = 0;
    for (size_t j = begin; j < end; ++j) {
      sum += p[j];
      nonzero += p[j] != 0 ? 1 : 0;
    }
    if (k + 1 == levels && p[i - 1] == 0 && outliers > 0) ++nonzero;  // the last bin gets the outliers below
    for (size_t j = begin; j < end && nonzero > 0; ++j)
      if (p[j] != 0 || (j == i - 1 && outliers > 0)) q[j] = sum / static_cast<double>(nonzero);
  }
  p[i - 1] += outliers;
  return kl_divergence(p, q);
}

}  // namespace

int entropy_threshold_bins(const std::vector<int64_t>& counts, int levels) {
  size_t used = counts.size();
  while (used > 0 && counts[used - 1] == 0) --used;
  size_t lv = static_cast<size_t>(std::max(1, levels));
  if (used <= lv) return static_cast<int>(std::max<size_t>(used, 1));
  // suffix[i]: mass at or beyond bin i, i.e. the outliers of a threshold at i bins.
  std::vector<double> suffix(used + 1, 0.0);
  for (size_t j = used; j-- > 0;) suffix[j] = suffix[j + 1] + static_cast<double>(counts[j]);
  size_t best = used;
  double best_kl = std::numeric_limits<double>::infinity();
  auto consider = [&](size_t i) {
    double kl = clipping_divergence(counts, i, lv, suffix[i]);
    if (kl < best_kl) best_kl = kl, best = i;
  };
  // Coarse pass over about 128 candidates, then every bin around the best one:
  // ~15x fewer KL evaluations than trying every bin, for the same threshold
  // whenever the divergence is smooth at the scale of the coarse step.
  size_t stride = std::max<size_t>(1, (used - lv) / 128);
  for (size_t i = lv; i <= used; i += stride) consider(i);
  consider(used);
  size_t center = best;
  for (size_t i = center > lv + stride ? center - stride : lv; i <= std::min(used, center + stride); ++i) consider(i);
  return static_cast<int>(best);
}

}  // namespace ew::quant
