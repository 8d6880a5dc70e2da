// Empirical bias correction (Nagel et al. 2019, section 4.2): quantizing a
// layer's weights shifts the mean of its output by
//   E[W_q x] - E[W x] = (W_q - W) E[x],
// which is folded back into the bias: b -= (W_q - W) E[x], with E[x] the
// per-input-channel mean of the layer's float input over calibration data.
// It runs on the float model just before quantize_static, with the same
// weight quantization (quant_params.h, qdq_plan.h weight_axis), so the QDQ
// rewrite then quantizes the corrected bias. Conv (any group) and Gemm
// (alpha 1, C absent or [N]) are corrected; a missing bias is created.
#pragma once

#include <map>
#include <string>

#include "quant/channel_stats.h"
#include "quant/quantize.h"

namespace ew::quant {

// The inputs whose channel means bias_correction needs (name -> channel axis).
std::map<std::string, int> bias_correction_inputs(const Model& model, const QuantizeOptions& options);

// Corrects the bias of every weighted layer the static quantizer will
// quantize. Returns the number of layers corrected.
Result<int> bias_correction(Model& model, const ChannelStatsMap& stats, const QuantizeOptions& options);

}  // namespace ew::quant
