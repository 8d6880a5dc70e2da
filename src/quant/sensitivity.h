// Layer sensitivity (`edgewise quantize --analyze`): quantize one layer at a
// time, everything else float, and measure on calibration samples how far the
// model output moves from the float model's (output SQNR, mean KL divergence
// of the softmax, top-1 agreement). Then, for the fully quantized model, the
// SQNR of every layer's weight and output activation against float.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "quant/calibration.h"
#include "quant/evaluate.h"
#include "quant/quantize.h"

namespace ew::quant {

// One quantizable layer and the precisions it can take in a mode.
struct QuantLayer {
  std::string node, op_type;
  int64_t params = 0;         // constant weight elements (0: activation x activation)
  std::vector<int> bits;      // choices below float, e.g. {8} or {4, 8}
  std::string weight;         // the weight's identity: layers sharing a weight share its storage
};

// Conv / Gemm / MatMul nodes the mode quantizes, in graph order, then those in
// If/Loop/Scan bodies named "<path>/<node>" as in the quantizers' reports
// (body_quantization.h), which options.layer_bits also accepts. Static: all
// three (weight MatMul/Gemm may also take 4-bit weight-only); dynamic: MatMul
// / Gemm with a constant weight, 4 or 8 bits; int4: those, 4 bits.
std::vector<QuantLayer> quantizable_layers(const Model& model, QuantMode mode);

// A quantized copy of the preprocessed float `model`: options.layer_bits
// decides each layer (16/32 float, 8, 4 weight-only); static mode needs `ranges`.
Result<Model> quantize_copy(const Model& model, const QuantizeOptions& options, const RangeMap& ranges);

struct LayerSensitivity {
  std::string node, op_type;
  int bits = 8;
  int64_t params = 0;
  OutputComparison output;    // the model with only this layer quantized, against float
};

struct LayerError {
  std::string node, op_type;
  double weight_sqnr_db = 0;      // from the quantizer
  double activation_sqnr_db = 0;  // the layer's output in the fully quantized model vs float (NaN: not comparable)
};

struct SensitivityReport {
  std::vector<LayerSensitivity> layers;  // most sensitive first (lowest output SQNR)
  std::vector<LayerError> full;          // the fully quantized model, per layer in graph order
  OutputComparison full_output;          // the fully quantized model's output against float
  int samples = 0;
};

struct SensitivityOptions {
  int version = 1;
  int samples = 64;  // calibration samples each measurement runs
  int threads = 1;
  bool full_model = true;  // also measure the fully quantized model (SensitivityReport::full*)
  // Called after each measured layer: (done, total).
  std::function<void(int, int)> progress;
};

// `model` is the preprocessed float model (preprocess.h); `ranges` its
// calibration ranges (static mode). Measures every layer at each of its bit
// choices.
Result<SensitivityReport> analyze_sensitivity(const Model& model, const QuantizeOptions& options, const RangeMap& ranges,
                                              CalibrationSource& data, const SensitivityOptions& sopts);

// Weight SQNR (from the quantizer's report) and output-activation SQNR of
// each layer of `quantized` against `reference`, over `samples` samples, both
// run unoptimized on the reference kernels so every layer keeps its names
// (layer_error.cc).
Result<std::vector<LayerError>> layer_errors(const Model& reference, const Model& quantized, const QuantizeReport& qr,
                                             const std::vector<QuantLayer>& layers, CalibrationSource& data,
                                             int samples);

// The output of `reference` and `candidate` compared over `samples` samples of `data`.
Result<OutputComparison> measure_against(const Model& reference, const Model& candidate, CalibrationSource& data,
                                         int samples, int threads);

}  // namespace ew::quant
