// The whole `edgewise quantize` pipeline as a library call, one entry point
// per mode:
//   static   preprocess -> [equalize] -> [SmoothQuant] -> [bias correction] -> calibrate -> QDQ
//   dynamic  preprocess -> quantize_dynamic (dynamic_quantizer.h)
//   int4     preprocess -> quantize_int4 (int4_quantizer.h)
//   fp16     convert_weights_to_fp16 (fp16_converter.h)
#pragma once

#include "quant/calibration.h"
#include "quant/quantize.h"

namespace ew::quant {

// Quantizes `model` in place per options.mode. The static mode needs `data`
// (calibration samples; rewound as needed); the other modes ignore it.
Status quantize_model(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                      const CalibrationOptions& calibration, QuantizeReport* report);

// Below the opset a mode's ops need (static: 10, or 13 for per-channel
// weights; dynamic: 11), converts `model` up to it (passes/opset) and records
// the step in `report`; quantize_model does this first.
Status upgrade_for_quantization(Model& model, const QuantizeOptions& options, QuantizeReport* report);

// Equalization, SmoothQuant and bias correction as `options` ask: the float-
// model rewrites the static pipeline makes after preprocessing, before
// calibration (counts go to `report`).
Status adjust_float_model(Model& model, const QuantizeOptions& options, CalibrationSource& data,
                          QuantizeReport& report);

}  // namespace ew::quant
