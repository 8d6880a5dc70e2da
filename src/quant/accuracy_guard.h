// The accuracy guard of `edgewise quantize`: after quantizing, measure how
// far the quantized model's outputs moved from the float model's (output
// SQNR, worst output) on calibration samples. Below the floor, layers go back
// to float, most sensitive first (each layer measured alone: only it
// quantized, the rest float), until the floor holds; the report names the
// layers kept float and why. When no layer is left to quantize, or nothing
// was quantized in the first place, the guard fails with a message that says
// so, rather than let a ruined or unchanged model be saved as "quantized".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "quant/calibration.h"
#include "quant/evaluate.h"
#include "quant/quantize.h"

namespace ew::quant {

struct AccuracyGuardOptions {
  int version = 1;
  double min_sqnr_db = 20.0;  // <= 0: quantize without measuring
  // Held-out inputs land a little below the calibration samples' SQNR: the
  // guard holds min_sqnr_db + margin_db on the samples it measures.
  double margin_db = 1.0;
  int samples = 32;           // calibration samples per measurement
  int random_samples = 16;    // without calibration data: random inputs measured
  int threads = 1;
  // Called with a line of what the guard is doing ("measuring 12 layers...").
  std::function<void(const std::string&)> progress;
};

// The SQNR the guard holds on the samples it measures.
inline double guard_target_db(const AccuracyGuardOptions& g) { return g.min_sqnr_db + g.margin_db; }

// A layer the guard sent back to float, with the measurement that chose it.
struct KeptFloat {
  std::string node, op_type;
  double alone_sqnr_db = 0;  // output SQNR with only this layer quantized
};

struct AccuracyGuardReport {
  bool measured = false;
  int samples = 0;
  bool random_inputs = false;      // no calibration data: measured on random inputs
  double first_sqnr_db = 0;        // the fully quantized model (worst output)
  double final_sqnr_db = 0;        // the model written
  std::string worst_output;        // the output that set final_sqnr_db
  OutputComparison final_output;   // of the worst output
  std::vector<KeptFloat> kept_float;
  int layers_quantized = 0;        // layers with bits < 16 in the model written
  int attempts = 0;                // quantizations measured
};

// Quantizes `model` in place (quantize_model) and applies the guard. `data`
// may be null for modes that need no calibration; the guard then measures on
// random inputs. Fails, leaving `model` as given, when nothing was quantized
// or no layer could be quantized above the floor.
Status quantize_guarded(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                        const CalibrationOptions& calibration, const AccuracyGuardOptions& guard,
                        QuantizeReport* report, AccuracyGuardReport* guard_report);

// Output comparison of `candidate` against `reference` for every float output
// over `samples` samples of `data` (in output order).
Result<std::vector<OutputComparison>> compare_all_outputs(const Model& reference, const Model& candidate,
                                                          CalibrationSource& data, int samples, int threads);

}  // namespace ew::quant
