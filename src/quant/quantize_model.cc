#include "quant/quantize_model.h"

#include <functional>

#include "ir/onnx_checker.h"
#include "passes/opset/opset_converter.h"
#include "quant/bias_correction.h"
#include "quant/dynamic_quantizer.h"
#include "quant/equalization.h"
#include "quant/fp16_converter.h"
#include "quant/int4_quantizer.h"
#include "quant/preprocess.h"
#include "passes/pass_manager.h"
#include "quant/qdq_quantizer.h"
#include "quant/smooth_quant.h"

namespace ew::quant {
namespace {

}  // namespace

Status adjust_float_model(Model& model, const QuantizeOptions& options, CalibrationSource& data, QuantizeReport& r) {
  if (options.equalize) {
    EqualizeOptions eo;
    eo.relu6_as_relu = options.equalize_relu6_as_relu;
    EqualizeReport er;
    EW_RETURN_IF_ERROR(equalize(model, eo, &er));
    r.equalized_pairs = er.pairs;
    r.relu6_replaced = er.clips_replaced;
  }
  if (options.smooth_alpha > 0.0f) {
    EW_ASSIGN_OR_RETURN(ChannelStatsMap stats, collect_channel_stats(model, data, smooth_quant_inputs(model)));
    EW_ASSIGN_OR_RETURN(r.smoothed_tensors, smooth_quant(model, stats, options.smooth_alpha));
  }
  if (options.bias_correction) {
    EW_ASSIGN_OR_RETURN(ChannelStatsMap stats,
                        collect_channel_stats(model, data, bias_correction_inputs(model, options)));
    EW_ASSIGN_OR_RETURN(r.bias_corrected_layers, bias_correction(model, stats, options));
  }
  return Status::ok();
}

namespace {

Status quantize_static_pipeline(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                                const CalibrationOptions& calibration, QuantizeReport* report) {
  if (!data) return invalid_argument("static quantization needs calibration data (--calib PATH or --dataset NAME)");
  QuantizeReport local;
  QuantizeReport& r = report ? *report : local;
  EW_ASSIGN_OR_RETURN(const int64_t bytes_before, serialized_bytes(model));
  const std::map<std::string, int> ops_before = op_histogram(model.graph);
  EW_RETURN_IF_ERROR(preprocess(model));
  EW_RETURN_IF_ERROR(adjust_float_model(model, options, *data, r));
  EW_ASSIGN_OR_RETURN(std::vector<std::string> tensors, tensors_to_calibrate(model, options));
  EW_RETURN_IF_ERROR(data->rewind());
  EW_ASSIGN_OR_RETURN(RangeMap ranges, calibrate(model, *data, tensors, calibration));
  EW_RETURN_IF_ERROR(quantize_static(model, ranges, options, &r));
  r.bytes_before = bytes_before;
  r.ops_before = ops_before;
  r.calibration_samples = data->size();
  r.calibration_method = calibration.method;
  return Status::ok();
}

// fp16 weights (fp16_converter.h), with the sizes and ops of the report.
Status quantize_fp16(Model& model, const QuantizeOptions& options, QuantizeReport* report) {
  QuantizeReport local;
  QuantizeReport& r = report ? *report : local;
  r.mode = QuantMode::kFp16;
  r.ops_before = op_histogram(model.graph);
  EW_ASSIGN_OR_RETURN(r.bytes_before, serialized_bytes(model));
  Fp16Report fr;
  EW_ASSIGN_OR_RETURN(int converted, convert_weights_to_fp16(model, options.exclude, &fr));
  (void)converted;
  r.layers = fp16_layers(model);
  r.ops_after = op_histogram(model.graph);
  EW_ASSIGN_OR_RETURN(r.bytes_after, serialized_bytes(model));
  return Status::ok();
}

// Preprocesses (so weights reached through Constant nodes or BatchNorm become
// plain initializers the quantizers match), runs `quantize`, and reports the
// sizes and ops of the model as given.
Status after_preprocess(Model& model, QuantizeReport* report, const std::function<Status()>& quantize) {
  EW_ASSIGN_OR_RETURN(const int64_t bytes_before, serialized_bytes(model));
  const std::map<std::string, int> ops_before = op_histogram(model.graph);
  EW_RETURN_IF_ERROR(preprocess(model));
  EW_RETURN_IF_ERROR(quantize());
  if (report) {
    report->bytes_before = bytes_before;
    report->ops_before = ops_before;
  }
  return Status::ok();
}

}  // namespace

namespace {

Status quantize_by_mode(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                        const CalibrationOptions& calibration, QuantizeReport* report) {
  switch (options.mode) {
    case QuantMode::kStatic:
      return quantize_static_pipeline(model, options, data, calibration, report);
    case QuantMode::kDynamic:
      return after_preprocess(model, report, [&] { return quantize_dynamic(model, options, report); });
    case QuantMode::kInt4:
      return after_preprocess(model, report, [&] { return quantize_int4(model, options, report); });
    case QuantMode::kFp16:
      return quantize_fp16(model, options, report);
  }
  return invalid_argument("unknown quantization mode");
}

}  // namespace

int64_t opset_needed(const QuantizeOptions& options) {
  switch (options.mode) {
    case QuantMode::kStatic: return options.per_channel ? 13 : 10;  // QuantizeLinear; its axis attribute
    case QuantMode::kDynamic: return 11;                            // DynamicQuantizeLinear
    default: return 0;                                              // com.microsoft ops, Cast
  }
}

Status upgrade_for_quantization(Model& model, const QuantizeOptions& options, QuantizeReport* report) {
  const int64_t have = model.opset(""), need = opset_needed(options);
  if (have == 0 || have >= need) return Status::ok();
  OpsetReport converted;
  EW_RETURN_IF_ERROR(convert_opset(model, need, &converted)
                         .with_context("the " + std::string(quant_mode_name(options.mode)) + " mode needs opset " +
                                       std::to_string(need) + " and the model has " + std::to_string(have) +
                                       "; converting it failed: "));
  if (report) {
    report->opset_before = have;
    report->opset_after = need;
  }
  return Status::ok();
}

Status quantize_model(Model& model, const QuantizeOptions& options, CalibrationSource* data,
                      const CalibrationOptions& calibration, QuantizeReport* report) {
  // A model the ONNX checker already refuses cannot be held to it afterwards.
  const bool valid_before = check_onnx_model(model).is_ok();
  EW_RETURN_IF_ERROR(upgrade_for_quantization(model, options, report));
  EW_RETURN_IF_ERROR(quantize_by_mode(model, options, data, calibration, report));
  if (report) report->onnx_checked = valid_before;
  if (!valid_before) return Status::ok();
  Status valid = check_onnx_model(model);
  if (!valid.is_ok())
    return internal_error("the quantized model would be invalid, so it was not written (a bug in the " +
                          std::string(quant_mode_name(options.mode)) + " quantizer): " + valid.message());
  return Status::ok();
}

}  // namespace ew::quant
