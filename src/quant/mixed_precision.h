// Mixed precision (`edgewise quantize --mixed`): bits per layer from
// {4, 8, float} chosen from measured sensitivity (sensitivity.h) under a size
// budget or an accuracy budget, by two methods reported side by side:
//
//   rule    bits_i = base + alpha * log2(S_i / S_geomean), S_i the layer's
//           measured loss at 8 bits (mean output KL divergence), snapped in
//           log space to the nearest choice (< 5.66 -> 4, < 11.3 -> 8, else
//           float); `base` is the largest value meeting the size budget, or
//           the smallest meeting the accuracy budget (binary search, measured).
//   greedy  start with every layer at its lowest bits and repeatedly raise the
//           layer whose next precision buys the most measured loss per byte
//           (a greedy knapsack): while it fits the size budget, or until the
//           measured accuracy loss is within budget (binary search on the
//           upgrade sequence).
//
// Loss is measured, never predicted, for every reported choice: top-1
// accuracy on labeled data when given, else top-1 agreement with the float
// model, plus mean KL and output SQNR. "Float" layers keep float32 weights.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "quant/sensitivity.h"

namespace ew::quant {

struct MixedPrecisionOptions {
  int version = 1;
  int64_t size_budget_bytes = 0;    // > 0: the serialized model must fit
  double accuracy_budget_pp = -1;   // >= 0: at most this many top-1 points lost against float
  double alpha = 2.0;               // rule: bits per doubling of sensitivity
  SensitivityOptions measure;       // samples and threads for the per-layer measurements
  int eval_batch = 100;             // batch size for labeled accuracy
};

struct MixedChoice {
  std::string method;                  // "rule" or "greedy"
  std::map<std::string, int> bits;     // layer -> 4, 8 or 32 (float)
  int64_t bytes = 0;                   // serialized size of the quantized model
  double top1 = 0;                     // measured: accuracy (labeled) or agreement with float
  double loss_pp = 0;                  // top-1 points lost against float
  OutputComparison output;             // against float on calibration samples
  bool meets_budget = false;
  std::string note;                    // e.g. the rule's base bits
};

struct MixedPrecisionReport {
  std::vector<LayerSensitivity> sensitivity;  // per layer and bit choice, most sensitive first
  bool labeled = false;                       // top1 is accuracy on labels (else agreement)
  double float_top1 = 1.0;
  int64_t float_bytes = 0;
  MixedChoice rule, greedy;
};

// `model`: the preprocessed float model; `ranges`: its calibration ranges
// (static mode); `labeled`: optional labeled data for accuracy. The options'
// mode decides the layers and their choices (quantizable_layers()).
Result<MixedPrecisionReport> choose_mixed_precision(const Model& model, const QuantizeOptions& options,
                                                    const RangeMap& ranges, CalibrationSource& data,
                                                    const LabeledDataset* labeled, const MixedPrecisionOptions& mopts);

}  // namespace ew::quant
