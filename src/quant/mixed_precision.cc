#include "quant/mixed_precision.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "quant/qdq_quantizer.h"
#include "runtime/session.h"

namespace ew::quant {
namespace {

using Bits = std::map<std::string, int>;

struct Search {
  const Model& model;
  const QuantizeOptions& options;
  const RangeMap& ranges;
  CalibrationSource& data;
  const LabeledDataset* labeled;
  const MixedPrecisionOptions& mopts;
  std::unique_ptr<Session> ref;
  std::vector<QuantLayer> layers;
  std::map<std::string, std::map<int, double>> loss;  // layer -> bits -> mean KL (float: 0)
  int64_t fixed_bytes = 0;                            // everything but the layers' weights
  double float_top1 = 1.0;
};

// Weight bytes of a layer at `bits`: int8 adds a scale per 64 weights at most,
// int4 a float scale per block of 32.
int64_t layer_bytes(const QuantLayer& l, int bits) {
  if (bits >= 16) return l.params * 4;
  if (bits == 8) return l.params + l.params / 16;
  return l.params / 2 + l.params / 8;
}

// Layers sharing a weight at the same precision share its bytes, as the quantizers store them once.
int64_t estimate_bytes(const Search& s, const Bits& bits) {
  int64_t total = s.fixed_bytes;
  std::set<std::pair<std::string, int>> stored;
  for (const QuantLayer& l : s.layers) {
    const int b = bits.at(l.node);
    if (l.weight.empty() || stored.insert({l.weight, b >= 16 ? 32 : b}).second) total += layer_bytes(l, b);
  }
  return total;
}

double loss_at(const Search& s, const std::string& layer, int bits) {
  if (bits >= 16) return 0.0;
  auto it = s.loss.at(layer).find(bits);
  return it == s.loss.at(layer).end() ? 0.0 : it->second;
}

// The layer's precisions from lowest to float.
std::vector<int> ladder(const QuantLayer& l) {
  std::vector<int> b = l.bits;
  std::sort(b.begin(), b.end());
  b.push_back(32);
  return b;
}

Result<double> top1_of(const Search& s, const Session& session, const OutputComparison& against_float) {
  if (!s.labeled) return against_float.agreement;
  EW_ASSIGN_OR_RETURN(ClassifierMetrics m, evaluate_classifier(session, nullptr, *s.labeled, s.mopts.eval_batch));
  return m.top1;
}

Result<MixedChoice> measure(Search& s, const Bits& bits, const std::string& method) {
  QuantizeOptions o = s.options;
  for (const auto& [layer, b] : bits) o.layer_bits[layer] = b;
  EW_ASSIGN_OR_RETURN(Model q, quantize_copy(s.model, o, s.ranges));
  MixedChoice c;
  c.method = method;
  c.bits = bits;
  EW_ASSIGN_OR_RETURN(c.bytes, serialized_bytes(q));
  SessionOptions so;
  so.threads = s.mopts.measure.threads;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(std::move(q), so));
  EW_RETURN_IF_ERROR(s.data.rewind());
  EvalOptions eo;
  eo.count = s.mopts.measure.samples;
  EW_ASSIGN_OR_RETURN(c.output, compare_outputs(*s.ref, *session, s.data, eo));
  EW_ASSIGN_OR_RETURN(c.top1, top1_of(s, *session, c.output));
  c.loss_pp = 100.0 * (s.float_top1 - c.top1);
  const bool size_ok = s.mopts.size_budget_bytes <= 0 || c.bytes <= s.mopts.size_budget_bytes;
  const bool acc_ok = s.mopts.accuracy_budget_pp < 0 || c.loss_pp <= s.mopts.accuracy_budget_pp;
  c.meets_budget = size_ok && acc_ok;
  return c;
}

// Among `steps` (ordered from least to most precise), the measured choice:
// the smallest meeting the accuracy budget, else the most precise fitting the size budget.
Result<MixedChoice> pick(Search& s, std::vector<Bits> steps, const std::string& method) {
  if (s.mopts.size_budget_bytes > 0) {
    std::vector<Bits> fit;
    for (const Bits& b : steps)
      if (estimate_bytes(s, b) <= s.mopts.size_budget_bytes) fit.push_back(b);
    if (fit.empty()) fit.push_back(steps.front());  // nothing fits: report the smallest, marked as missing the budget
    steps = fit;
  }
  if (s.mopts.accuracy_budget_pp < 0) return measure(s, steps.back(), method);
  size_t lo = 0, hi = steps.size() - 1;
  EW_ASSIGN_OR_RETURN(MixedChoice best, measure(s, steps[hi], method));
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    EW_ASSIGN_OR_RETURN(MixedChoice c, measure(s, steps[mid], method));
    if (c.loss_pp <= s.mopts.accuracy_budget_pp) {
      best = c;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return best;
}

int snap(const QuantLayer& l, double b) {
  const std::vector<int> choices = ladder(l);
  const bool has4 = std::count(choices.begin(), choices.end(), 4) > 0;
  const bool has8 = std::count(choices.begin(), choices.end(), 8) > 0;
  if (b < 5.66 && has4) return 4;
  if (b < 11.31 && has8) return 8;
  if (b < 11.31 && has4) return 4;
  return 32;
}

Result<MixedChoice> rule_choice(Search& s) {
  double log_sum = 0;
  for (const QuantLayer& l : s.layers) log_sum += std::log2(std::max(loss_at(s, l.node, 8), 1e-12));
  const double log_mean = log_sum / static_cast<double>(s.layers.size());
  std::vector<Bits> steps;
  std::vector<double> bases;
  for (double base = 2.0; base <= 16.0; base += 0.25) {
    Bits b;
    for (const QuantLayer& l : s.layers)
      b[l.node] = snap(l, base + s.mopts.alpha * (std::log2(std::max(loss_at(s, l.node, 8), 1e-12)) - log_mean));
    if (steps.empty() || b != steps.back()) {
      steps.push_back(b);
      bases.push_back(base);
    }
  }
  EW_ASSIGN_OR_RETURN(MixedChoice c, pick(s, steps, "rule"));
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i] == c.bits) c.note = "base bits " + std::to_string(bases[i]).substr(0, 5) + ", alpha " +
                                     std::to_string(s.mopts.alpha).substr(0, 4);
  return c;
}

// The greedy upgrade sequence: every state from all-lowest to all-float.
std::vector<Bits> greedy_steps(const Search& s) {
  Bits b;
  for (const QuantLayer& l : s.layers) b[l.node] = ladder(l).front();
  std::vector<Bits> steps{b};
  for (;;) {
    const QuantLayer* best = nullptr;
    int best_next = 0;
    double best_gain = -1;
    for (const QuantLayer& l : s.layers) {
      const std::vector<int> lad = ladder(l);
      auto it = std::find(lad.begin(), lad.end(), b[l.node]);
      if (it == lad.end() || it + 1 == lad.end()) continue;
      const double dloss = loss_at(s, l.node, *it) - loss_at(s, l.node, *(it + 1));
      const int64_t dbytes = std::max<int64_t>(1, layer_bytes(l, *(it + 1)) - layer_bytes(l, *it));
      const double gain = dloss / static_cast<double>(dbytes);
      if (gain > best_gain) best = &l, best_next = *(it + 1), best_gain = gain;
    }
    if (!best) break;
    b[best->node] = best_next;
    steps.push_back(b);
  }
  return steps;
}

}  // namespace

Result<MixedPrecisionReport> choose_mixed_precision(const Model& model, const QuantizeOptions& options,
                                                    const RangeMap& ranges, CalibrationSource& data,
                                                    const LabeledDataset* labeled, const MixedPrecisionOptions& mopts) {
  if (mopts.size_budget_bytes <= 0 && mopts.accuracy_budget_pp < 0)
    return invalid_argument("mixed precision needs a size budget (bytes) or an accuracy budget (points)");
  Search s{model, options, ranges, data, labeled, mopts, nullptr, quantizable_layers(model, options.mode), {}, 0, 1.0};
  if (s.layers.empty()) return invalid_argument("the model has no layers this mode quantizes");
  SessionOptions so;
  so.threads = mopts.measure.threads;
  EW_ASSIGN_OR_RETURN(s.ref, Session::create(model, so));
  MixedPrecisionReport r;
  EW_ASSIGN_OR_RETURN(r.float_bytes, serialized_bytes(model));
  Bits all_float;
  for (const QuantLayer& l : s.layers) all_float[l.node] = 32;
  s.fixed_bytes = 0;
  s.fixed_bytes = r.float_bytes - estimate_bytes(s, all_float);
  r.labeled = labeled != nullptr;
  if (labeled) {
    EW_ASSIGN_OR_RETURN(ClassifierMetrics m, evaluate_classifier(*s.ref, nullptr, *labeled, mopts.eval_batch));
    s.float_top1 = m.top1;
  }
  r.float_top1 = s.float_top1;
  SensitivityReport sens;
  SensitivityOptions per_layer = mopts.measure;
  per_layer.full_model = false;  // only the one-layer measurements feed the choice
  EW_ASSIGN_OR_RETURN(sens, analyze_sensitivity(model, options, ranges, data, per_layer));
  for (const LayerSensitivity& l : sens.layers) s.loss[l.node][l.bits] = l.output.mean_kl;
  r.sensitivity = sens.layers;
  EW_ASSIGN_OR_RETURN(r.rule, rule_choice(s));
  EW_ASSIGN_OR_RETURN(r.greedy, pick(s, greedy_steps(s), "greedy"));
  return r;
}

}  // namespace ew::quant
