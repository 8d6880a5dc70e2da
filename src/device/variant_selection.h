// Choosing a model variant for a device (`edgewise select`): given each
// variant's latency, energy, memory, download size and accuracy on a device,
// reject those that break a constraint and rank the rest by the weighted
// objective
//
//     score = α·Latency + β·Energy + γ·Bandwidth + δ·Cost      (lower is better)
//
// where every term is the variant's value divided by the best (smallest)
// value among the variants that are kept, so each term is 1 for the best
// variant and the weights are unitless: with weights 1,1,1,1 a variant twice
// as slow as the fastest pays 1 extra point, exactly as one with twice the
// error rate of the most accurate does.
//
//   Latency   milliseconds per inference (measured on the host, else predicted)
//   Energy    millijoules per inference (the profile's roofline energy model)
//   Bandwidth bytes of the model file: what an over-the-air update ships
//   Cost      the accuracy cost: top-1 error, 1 − accuracy, so a variant with
//             twice the best variant's error rate has Cost 2. Without
//             accuracies for the variants the term is left out (and says so).
//
// A denominator below a small floor (a variant with 100% accuracy has error 0)
// is raised to the floor: 1e-4 error (0.01 points), 1e-6 ms, 1e-9 mJ, 1 byte.
// Memory (parameters + activation arena) is a constraint, not a term: the
// variant must fit the device's memory and --max-memory-mib.
//
// The measuring lives in variant_metrics.h; this file is pure logic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace ew {

struct VariantMetrics {
  std::string name;               // the model file
  double latency_ms = 0;
  bool latency_measured = false;  // true: P50 measured on this host; false: roofline prediction
  double energy_mj = 0;           // per inference
  int64_t param_bytes = 0;        // initializers the runtime keeps (after its graph optimization)
  int64_t arena_bytes = 0;        // the memory planner's arena for every intermediate
  int64_t memory_bytes() const { return param_bytes + arena_bytes; }
  int64_t file_bytes = 0;         // size of the model file (an over-the-air update)
  std::optional<double> accuracy; // top-1 in [0, 1]
  bool accuracy_measured = false; // true: measured on a dataset; false: given
};

struct SelectionConstraints {
  std::optional<double> max_latency_ms, max_energy_mj, max_memory_mib, min_accuracy;
  std::string device;              // profile name, for messages
  double device_memory_bytes = 0;  // > 0: the variant's memory must fit in it
};

struct ObjectiveWeights {
  double latency = 1, energy = 1, bandwidth = 1, cost = 1;  // α, β, γ, δ
};

// "α,β,γ,δ": four finite non-negative numbers, not all zero.
Result<ObjectiveWeights> parse_weights(const std::string& text);

// One term of a variant's score.
struct ScoreTerm {
  double value = 0;       // in the metric's unit
  double best = 0;        // the smallest value among kept variants (after the floor)
  double normalized = 0;  // value / best
  double weight = 0;
  double contribution = 0;  // weight * normalized
  bool used = false;        // false: left out (the Cost term without accuracies)
};

struct VariantVerdict {
  VariantMetrics metrics;
  std::vector<std::string> violations;  // every constraint it breaks; empty: kept
  bool kept() const { return violations.empty(); }
  ScoreTerm latency, energy, bandwidth, cost;
  double score = 0;  // sum of the contributions (kept variants only)
  int rank = 0;      // 1 = chosen, 2, ...; 0 = rejected
};

struct Selection {
  std::vector<VariantVerdict> variants;  // in the order given
  std::vector<int> ranking;              // indices of the kept variants, best first
  bool cost_used = false;                // accuracies known: the Cost term counts
  ObjectiveWeights weights;
  SelectionConstraints constraints;
  const VariantVerdict* chosen() const { return ranking.empty() ? nullptr : &variants[ranking.front()]; }
};

// Applies the constraints and ranks the kept variants (ties keep the given
// order). Errors: no variants, a --min-accuracy without every accuracy, an
// accuracy outside [0, 1], or accuracies for some variants but not others.
Result<Selection> select_variant(const std::vector<VariantMetrics>& variants, const SelectionConstraints& constraints,
                                 const ObjectiveWeights& weights);

// Per variant: every metric, then the constraints it broke or its score
// breakdown (value / best x weight per term); the chosen one last.
std::string explain_selection(const Selection& selection);

nlohmann::json to_json(const Selection& selection);

}  // namespace ew
