// How the scale and zero-point elements of QuantizeLinear/DequantizeLinear map
// onto the data tensor: one for all (per-tensor), one per slice along `axis`
// (per-axis, opset 13), or one per block of `block_size` along `axis` (opset 21).
#pragma once

#include <string>

#include "core/tensor.h"

namespace ew::quant {

struct QuantLayout {
  int64_t outer = 1, axis_len = 1, inner = 1;  // data viewed as [outer, axis_len, inner]
  int64_t block = 0;                           // > 0: blocked
  bool per_tensor = true;

  // Index of the scale element for data element (o, a, i).
  int64_t param_index(int64_t o, int64_t a, int64_t i) const {
    if (per_tensor) return 0;
    if (block == 0) return a;
    const int64_t blocks = (axis_len + block - 1) / block;
    return (o * blocks + a / block) * inner + i;
  }
};

// Validates the scale (and zero point, when given) shapes against the data
// shape and builds the layout. `axis` may be negative.
inline Result<QuantLayout> make_quant_layout(const Shape& x, const Shape& scale, const Shape* zero_point,
                                             int64_t axis, int64_t block_size) {
  if (zero_point && *zero_point != scale && !(shape_numel(*zero_point) == 1 && shape_numel(scale) == 1))
    return invalid_argument("zero point shape " + shape_to_string(*zero_point) + " differs from scale shape " +
                            shape_to_string(scale));
  if (block_size < 0) return invalid_argument("block_size must be >= 0, got " + std::to_string(block_size));
  QuantLayout l;
  l.inner = shape_numel(x).value_or(0);
  const int64_t scale_n = shape_numel(scale).value_or(-1);
  if (block_size == 0 && scale.size() <= 1 && scale_n == 1) return l;  // per-tensor
  l.inner = 1;
  auto ax = normalize_axis(axis, static_cast<int64_t>(x.size()));
  if (!ax) return invalid_argument("axis " + std::to_string(axis) + " out of range for rank " + std::to_string(x.size()));
  l.per_tensor = false;
  l.axis_len = x[*ax];
  for (int64_t d = 0; d < *ax; ++d) l.outer *= x[d];
  for (size_t d = *ax + 1; d < x.size(); ++d) l.inner *= x[d];
  if (block_size == 0) {
    if (scale.size() != 1 || scale[0] != l.axis_len)
      return invalid_argument("per-axis scale must be 1-D of size " + std::to_string(l.axis_len) + ", got " +
                              shape_to_string(scale));
    return l;
  }
  l.block = block_size;
  if (scale.size() != x.size())
    return invalid_argument("blocked scale must have the data's rank, got " + shape_to_string(scale));
  for (size_t d = 0; d < x.size(); ++d) {
    const int64_t want = static_cast<int64_t>(d) == *ax ? (x[d] + block_size - 1) / block_size : x[d];
    if (scale[d] != want)
      return invalid_argument("blocked scale shape " + shape_to_string(scale) + " does not fit data shape " +
                              shape_to_string(x) + " with block_size " + std::to_string(block_size));
  }
  return l;
}

// Calls fn(element_index, param_index) for every data element in order.
template <typename Fn>
void for_each_quant_element(const QuantLayout& l, Fn&& fn) {
  int64_t e = 0;
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t a = 0; a < l.axis_len; ++a)
      for (int64_t i = 0; i < l.inner; ++i, ++e) fn(e, l.param_index(o, a, i));
}

}  // namespace ew::quant
