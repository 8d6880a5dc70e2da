// Accuracy and agreement of classifiers, the engine behind `edgewise eval`
// and the measurements of quantization sensitivity.
//
// Outputs are read as rows of class scores: the last axis holds the classes
// and every other axis counts samples (an [N, 10] logits tensor is N rows).
// Agreement compares the rows' argmax; KL divergence compares their softmax.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "quant/calibration.h"
#include "data/dataset.h"
#include "runtime/session.h"

namespace ew::quant {

struct OutputComparison {
  int64_t count = 0;       // rows compared
  double agreement = 0;    // share of rows whose top-1 class agrees
  double mean_kl = 0;      // mean over rows of KL(softmax(reference) || softmax(candidate)), in nats
  double sqnr_db = 0;      // 10·log10(Σref² / Σ(ref − cand)²) over every output value, capped at 200
  double max_abs_diff = 0; // largest |ref − cand| over every output value
};

struct EvalOptions {
  int version = 1;
  int output = 0;   // which model output holds the class scores
  int count = 0;    // > 0: stop after this many samples
  // Called after every batch with (samples done, total or -1).
  std::function<void(int, int)> progress;
};

// Runs `reference` and `candidate` on every input batch of `data` and compares
// their output `options.output`. Inputs are matched by name, or by position
// when the models name their inputs differently. For sensitivity analysis:
// the reference is the float model, the candidate a (partly) quantized one.
Result<OutputComparison> compare_outputs(const Session& reference, const Session& candidate, CalibrationSource& data,
                                         const EvalOptions& options = {});

struct ClassifierMetrics {
  int64_t count = 0;   // samples evaluated
  double top1 = 0;     // share of samples whose argmax is the label
  // With a second model:
  bool compared = false;
  double other_top1 = 0;        // the second model's accuracy
  OutputComparison comparison;  // `model` as the reference, the second model as the candidate
};

// Top-1 accuracy of `model` (a single-input classifier) on `data`, run in
// batches of `batch` samples; with `other`, also its accuracy and its
// agreement with `model`.
Result<ClassifierMetrics> evaluate_classifier(const Session& model, const Session* other, const LabeledDataset& data,
                                              int batch, const EvalOptions& options = {});

// Accumulates agreement, KL divergence and SQNR over batches of output pairs.
class OutputComparer {
 public:
  Status add(const Tensor& reference, const Tensor& candidate);
  OutputComparison result() const;

 private:
  int64_t rows_ = 0, agree_ = 0;
  double kl_ = 0, signal_ = 0, noise_ = 0, max_abs_ = 0;
};

// Index of the largest score of each row of `scores` (float32, last axis = classes).
Result<std::vector<int>> top1_classes(const Tensor& scores);

}  // namespace ew::quant
