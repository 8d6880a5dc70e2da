// SmoothQuant-style scale migration (Xiao et al. 2023): activations with
// outlier channels are hard to quantize per tensor, weights are easy. For an
// activation X [..., K] read by MatMul/Gemm layers with constant weights W,
//   s_k = max|X_k|^alpha / max|W_k|^(1 - alpha)
// (max|W_k| over row k of every such weight), then X is divided by s and
// every W's row k multiplied by s_k: the float outputs are unchanged. The
// division folds into a LayerNormalization producing X (its scale and bias)
// when all of X's readers are smoothed; otherwise a Mul by 1/s is inserted.
#pragma once

#include <map>
#include <string>

#include "quant/channel_stats.h"

namespace ew::quant {

// Activations read as input A by a MatMul / Gemm (transA 0) with a constant
// 2-D float weight: name -> channel axis (-1, the last).
std::map<std::string, int> smooth_quant_inputs(const Model& model);

// Migrates scales for every tensor of smooth_quant_inputs() that has stats
// (abs_max per last-axis channel). alpha in (0, 1]. Returns tensors smoothed.
Result<int> smooth_quant(Model& model, const ChannelStatsMap& stats, float alpha);

}  // namespace ew::quant
