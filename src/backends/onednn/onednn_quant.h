// Shared pieces of the int8 lowerings: zero points as oneDNN wants them (one
// s32 value, given at execution) and requantization scales.
#pragma once

#include <dnnl.hpp>

#include <unordered_map>
#include <vector>

#include "backends/onednn/onednn_builder.h"
#include "backends/onednn/onednn_engine.h"
#include "backends/quant_constants.h"

namespace ew {

// Adds a zero point for `arg` (DNNL_ARG_SRC, DNNL_ARG_DST, ...) to `attr` and
// its value to `args`; nothing when it is 0.
inline Result<bool> add_zero_point(OnednnBuilder& b, dnnl::primitive_attr& attr,
                                   std::unordered_map<int, dnnl::memory>& args, int arg, int32_t zero_point) {
  if (zero_point == 0) return false;
  attr.set_zero_points(arg, 0, {DNNL_RUNTIME_S32_VAL});
  const dnnl::memory::desc one({1}, dnnl::memory::data_type::s32, dnnl::memory::format_tag::a);
  EW_ASSIGN_OR_RETURN(dnnl::memory m, b.constant_as(&zero_point, one, one));
  args[DNNL_ARG_ATTR_ZERO_POINTS | arg] = m;
  return true;
}

// x_scale * w_scale[c] / y_scale per output channel, in float as the reference
// computes it; one value when all are equal.
inline std::vector<float> requantize_scales(float x_scale, const std::vector<float>& w_scales, float y_scale) {
  std::vector<float> out;
  for (float w : w_scales) out.push_back(x_scale * w / y_scale);
  bool same = true;
  for (float v : out) same &= v == out.front();
  if (same) out.resize(1);
  return out;
}

// Weights as signed bytes: int8 with zero point 0 as they are, uint8 with zero
// point 128 shifted to int8 (v - 128 = v ^ 0x80), which denotes the same values.
inline std::vector<int8_t> signed_weights(const Tensor& w) {
  std::vector<int8_t> out(static_cast<size_t>(w.numel()));
  const auto* src = static_cast<const uint8_t*>(w.raw());
  const uint8_t flip = w.dtype() == DType::kUInt8 ? 0x80 : 0x00;
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int8_t>(src[i] ^ flip);
  return out;
}

// True when int8 products of these activations and weights are exact here:
// always with VNNI. Without it oneDNN sums pairs of u8 x s8 products in 16
// bits, so only uint8 activations (int8 ones it shifts to uint8 and halves
// the weights to compensate, losing their last bit) with weights within
// [-64, 64] (255 * 128 < 32768) — what quantizers' "reduce range" produces
// for such CPUs.
inline bool exact_int8(DType activations, const Tensor& w) {
  if (onednn_has_vnni()) return true;
  if (activations != DType::kUInt8) return false;
  const auto* p = static_cast<const uint8_t*>(w.raw());
  const uint8_t flip = w.dtype() == DType::kUInt8 ? 0x80 : 0x00;
  for (int64_t i = 0; i < w.numel(); ++i) {
    const int v = static_cast<int8_t>(p[i] ^ flip);
    if (v < -64 || v > 64) return false;
  }
  return true;
}

}  // namespace ew
