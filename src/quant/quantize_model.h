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

}  // namespace ew::quant
