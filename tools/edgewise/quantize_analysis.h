// `edgewise quantize --analyze` and `--mixed`: per-layer sensitivity and
// mixed-precision choice (src/quant/sensitivity.h, mixed_precision.h) with
// their tables and JSON.
#pragma once

#include <string>

#include "quant/calibration.h"
#include "quant/quantize.h"

namespace ew::cli {

struct AnalysisArgs {
  bool analyze = false, mixed = false, json = false;
  int64_t size_budget = 0;        // bytes, 0: none
  double accuracy_budget = -1;    // top-1 points, < 0: none
  double alpha = 2.0;
  int samples = 64;               // calibration samples per sensitivity measurement
  int eval_count = 2000;          // labeled test images for accuracy (fashion-mnist)
  std::string dataset;            // "fashion-mnist" gives labeled accuracy
  int threads = 1;
};

// Runs the analysis on the float `model` (preprocessed here); with --mixed
// writes the better of the two choices to `output`. Returns the exit code.
int run_quantize_analysis(Model model, const quant::QuantizeOptions& options,
                          const quant::CalibrationOptions& calibration, quant::CalibrationSource& data,
                          const AnalysisArgs& args, const std::string& output);

}  // namespace ew::cli
