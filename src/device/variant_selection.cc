#include "device/variant_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ew {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
// Smallest denominators of the normalisation (see the header).
constexpr double kFloorLatencyMs = 1e-6, kFloorEnergyMj = 1e-9, kFloorBytes = 1, kFloorError = 1e-4;

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::vector<std::string> violations(const VariantMetrics& m, const SelectionConstraints& c) {
  std::vector<std::string> out;
  const double memory_mib = static_cast<double>(m.memory_bytes()) / kMiB;
  if (c.max_latency_ms && m.latency_ms > *c.max_latency_ms)
    out.push_back("latency " + fmt("%.4g", m.latency_ms) + " ms > --max-latency-ms " + fmt("%g", *c.max_latency_ms));
  if (c.max_energy_mj && m.energy_mj > *c.max_energy_mj)
    out.push_back("energy " + fmt("%.4g", m.energy_mj) + " mJ > --max-energy-mj " + fmt("%g", *c.max_energy_mj));
  if (c.max_memory_mib && memory_mib > *c.max_memory_mib)
    out.push_back("memory " + fmt("%.4g", memory_mib) + " MiB > --max-memory-mib " + fmt("%g", *c.max_memory_mib));
  if (c.device_memory_bytes > 0 && static_cast<double>(m.memory_bytes()) > c.device_memory_bytes)
    out.push_back("memory " + fmt("%.4g", memory_mib) + " MiB does not fit the device's " +
                  fmt("%.4g", c.device_memory_bytes / kMiB) + " MiB" + (c.device.empty() ? "" : " (" + c.device + ")"));
  if (c.min_accuracy && m.accuracy && *m.accuracy < *c.min_accuracy)
    out.push_back("accuracy " + fmt("%.4f", *m.accuracy) + " < --min-accuracy " + fmt("%g", *c.min_accuracy));
  return out;
}

Status check_inputs(const std::vector<VariantMetrics>& variants, const SelectionConstraints& c) {
  EW_CHECK_ARG(!variants.empty(), "select: no variants");
  size_t with_accuracy = 0;
  for (const VariantMetrics& m : variants) {
    if (!m.accuracy) continue;
    ++with_accuracy;
    EW_CHECK_ARG(std::isfinite(*m.accuracy) && *m.accuracy >= 0 && *m.accuracy <= 1,
                 "select: accuracy of '" + m.name + "' is " + fmt("%g", *m.accuracy) +
                     "; give it as a fraction in [0, 1]");
  }
  EW_CHECK_ARG(with_accuracy == 0 || with_accuracy == variants.size(),
               "select: accuracy is known for " + std::to_string(with_accuracy) + " of " +
                   std::to_string(variants.size()) + " variants; give it for all or none");
  EW_CHECK_ARG(!c.min_accuracy || with_accuracy > 0,
               "select: --min-accuracy needs the variants' accuracies (--accuracy or --dataset)");
  return Status::ok();
}

// Fills one term of every kept variant: value / best kept value, times the weight.
template <typename Get>
void score_term(Selection& s, ScoreTerm VariantVerdict::*term, double weight, double floor, bool used, Get get) {
  double best = INFINITY;
  for (const VariantVerdict& v : s.variants)
    if (v.kept()) best = std::min(best, get(v.metrics));
  best = std::max(best, floor);
  for (VariantVerdict& v : s.variants) {
    ScoreTerm& t = v.*term;
    t.value = get(v.metrics);
    t.weight = weight;
    t.used = used;
    if (!v.kept() || !used) continue;
    t.best = best;
    t.normalized = std::max(t.value, floor) / best;
    t.contribution = weight * t.normalized;
    v.score += t.contribution;
  }
}

}  // namespace

Result<ObjectiveWeights> parse_weights(const std::string& text) {
  std::vector<double> w;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    EW_CHECK_ARG(!item.empty() && end && *end == '\0' && std::isfinite(v) && v >= 0,
                 "--weights: '" + item + "' is not a non-negative number (expected α,β,γ,δ, e.g. 1,1,0.5,2)");
    w.push_back(v);
  }
  EW_CHECK_ARG(w.size() == 4, "--weights: expected 4 numbers α,β,γ,δ (latency, energy, bandwidth, cost), got " +
                                  std::to_string(w.size()) + " in '" + text + "'");
  EW_CHECK_ARG(w[0] + w[1] + w[2] + w[3] > 0, "--weights: at least one weight must be positive");
  return ObjectiveWeights{w[0], w[1], w[2], w[3]};
}

Result<Selection> select_variant(const std::vector<VariantMetrics>& variants, const SelectionConstraints& constraints,
                                 const ObjectiveWeights& weights) {
  EW_RETURN_IF_ERROR(check_inputs(variants, constraints));
  Selection s;
  s.weights = weights;
  s.constraints = constraints;
  s.cost_used = variants.front().accuracy.has_value();
  for (const VariantMetrics& m : variants) s.variants.push_back({m, violations(m, constraints)});
  score_term(s, &VariantVerdict::latency, weights.latency, kFloorLatencyMs, true,
             [](const VariantMetrics& m) { return m.latency_ms; });
  score_term(s, &VariantVerdict::energy, weights.energy, kFloorEnergyMj, true,
             [](const VariantMetrics& m) { return m.energy_mj; });
  score_term(s, &VariantVerdict::bandwidth, weights.bandwidth, kFloorBytes, true,
             [](const VariantMetrics& m) { return static_cast<double>(m.file_bytes); });
  score_term(s, &VariantVerdict::cost, weights.cost, kFloorError, s.cost_used,
             [](const VariantMetrics& m) { return m.accuracy ? 1.0 - *m.accuracy : 0.0; });
  for (size_t i = 0; i < s.variants.size(); ++i)
    if (s.variants[i].kept()) s.ranking.push_back(static_cast<int>(i));
  std::stable_sort(s.ranking.begin(), s.ranking.end(),
                   [&](int a, int b) { return s.variants[a].score < s.variants[b].score; });
  for (size_t r = 0; r < s.ranking.size(); ++r) s.variants[s.ranking[r]].rank = static_cast<int>(r + 1);
  return s;
}

}  // namespace ew
