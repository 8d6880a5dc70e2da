// The whole `edgewise quantize` pipeline as a library call, one entry point
// per mode:
//   static   preprocess -> [equalize] -> [bias correction] -> calibrate -> QDQ
//   dynamic  quantize_dynamic (dynamic_quantizer.h)
//   int4     quantize_int4 (int4_quantizer.h)
//   fp16     not built yet (returns kUnsupported)
#pragma once

#include "quant/calibration.h"
#include "quant/quantize.h"

namespace ew::quant {

// Quantizes `model` in place per options.mode. The static mode needs `data`
// (calibration samples; rewound as needed); the other modes ignore it.
Status quantize_model(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                      const CalibrationOptions& calibration, QuantizeReport* report);

}  // namespace ew::quant
