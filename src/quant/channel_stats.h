// Per-channel statistics of activations (mean, max |x|), gathered by running
// the float model over calibration samples; memory is one accumulator per
// channel. Bias correction needs the means of Conv/Gemm inputs, SmoothQuant
// the max |x| of MatMul inputs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "quant/calibration.h"

namespace ew::quant {

struct ChannelStats {
  std::vector<double> sum;     // per channel
  std::vector<float> abs_max;  // per channel
  int64_t per_channel_count = 0;
  std::vector<double> mean() const;
};
using ChannelStatsMap = std::map<std::string, ChannelStats>;

// Adds the values of `t` to `stats` along `axis` (negative counts from the end).
Status accumulate_channel_stats(const Tensor& t, int axis, ChannelStats& stats);

// Runs `model` (reference kernels, unoptimized, so node outputs keep their
// names) on every sample of `data` and collects the stats of each tensor in
// `tensors` (name -> channel axis). Fails naming a tensor no sample produced.
Result<ChannelStatsMap> collect_channel_stats(const Model& model, CalibrationSource& data,
                                              const std::map<std::string, int>& tensors);

}  // namespace ew::quant
