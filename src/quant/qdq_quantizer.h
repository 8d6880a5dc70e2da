// Static post-training quantization into the QDQ format (QuantizeLinear /
// DequantizeLinear pairs), ONNX Runtime's quantize_static with
// QuantFormat.QDQ: our optimizer and ORT both fuse the groups into integer
// ops (QLinearConv, QLinearMatMul, QLinearAdd, QLinearGlobalAveragePool, ...).
// Which nodes and tensors are covered: see qdq_plan.h. If/Loop/Scan bodies
// are quantized too, each where its ops are (body_quantization.h); a body
// tensor without a range (an If branch calibration never took) stays float.
//
// Typical use:
//   preprocess(model);                                     // preprocess.h
//   auto names = tensors_to_calibrate(model, options);
//   auto ranges = calibrate(model, data, *names, copts);   // calibration.h
//   quantize_static(model, *ranges, options, &report);
#pragma once

#include <string>
#include <vector>

#include "quant/calibration.h"
#include "quant/quantize.h"

namespace ew::quant {

// The tensors whose ranges quantize_static needs (names in `model` as given,
// so calibrate() on the same model finds them).
Result<std::vector<std::string>> tensors_to_calibrate(const Model& model, const QuantizeOptions& options);

// Rewrites the float `model` in place. `ranges` must hold every tensor of
// tensors_to_calibrate(). Fills `report` (per-layer bits/scales/SQNR, ops and
// serialized bytes before and after) when given.
Status quantize_static(Model& model, const RangeMap& ranges, const QuantizeOptions& options,
                       QuantizeReport* report = nullptr);

// Size of the model serialized as ONNX, in bytes.
Result<int64_t> serialized_bytes(const Model& model);

}  // namespace ew::quant
