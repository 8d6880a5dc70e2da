// Helpers shared by the quantized operators: round-half-to-even, saturation,
// reading scales and zero points, and ONNX Runtime's requantization step
// (int32 accumulator * float multiplier, rounded half to even, + zero point).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew::quant {

inline bool is_quant8(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

// Calls fn(type_tag<T>{}) for uint8/int8; false for any other type.
template <typename Fn>
bool visit_quant8(DType t, Fn&& fn) {
  if (t == DType::kUInt8) { fn(type_tag<uint8_t>{}); return true; }
  if (t == DType::kInt8) { fn(type_tag<int8_t>{}); return true; }
  return false;
}

// Calls fn(type_tag<T>{}) for the integer types a quantized tensor may hold
// (int8, uint8, int16, uint16).
template <typename Fn>
bool visit_quant(DType t, Fn&& fn) {
  if (t == DType::kInt16) { fn(type_tag<int16_t>{}); return true; }
  if (t == DType::kUInt16) { fn(type_tag<uint16_t>{}); return true; }
  return visit_quant8(t, std::forward<Fn>(fn));
}

// Rounds a float half to even (the default floating-point rounding mode),
// clamps it to Q's range after adding zp; NaN maps to the low end.
template <typename Q, typename F>
inline Q quantize_value(F scaled, int32_t zp) {
  const F lo = static_cast<F>(std::numeric_limits<Q>::lowest()) - static_cast<F>(zp);
  const F hi = static_cast<F>(std::numeric_limits<Q>::max()) - static_cast<F>(zp);
  F v = std::nearbyint(scaled);
  if (!(v >= lo)) v = lo;
  if (v > hi) v = hi;
  return static_cast<Q>(static_cast<int64_t>(v) + zp);
}

// ONNX Runtime's MlasRequantizeOutput: saturate(round(float(acc) * scale) + zp).
template <typename Q>
inline Q requantize(int32_t acc, float scale, int32_t zp) {
  return quantize_value<Q>(static_cast<float>(acc) * scale, zp);
}

// Element i of a scale tensor (any float type) as float.
inline float scale_at(const Tensor& t, int64_t i) { return static_cast<float>(t.get_double(i)); }
// Element i of an optional zero-point tensor; 0 when absent.
inline int32_t zero_point_at(const Tensor* t, int64_t i) {
  return t ? static_cast<int32_t>(t->get_int64(i)) : 0;
}

// Number of elements a static type holds, or -1 when unknown.
inline int64_t static_numel(const ValueType& t) {
  if (!t.has_shape) return -1;
  int64_t n = 1;
  for (const Dim& d : t.dims) {
    if (!d.known()) return -1;
    n *= d.value;
  }
  return n;
}

// Checks that input i, when present, holds exactly one element (a scalar or a [1] tensor).
inline Status check_scalar_input(const InferContext& ctx, int i, const char* what) {
  if (!ctx.has_input(i)) return Status::ok();
  const ValueType& t = ctx.input_type(i);
  if (t.has_shape && t.dims.size() > 1) return ctx.error(std::string(what) + " must be a scalar or 1-element 1-D tensor");
  const int64_t n = static_numel(t);
  if (n >= 0 && n != 1) return ctx.error(std::string(what) + " must hold exactly one element, got " + std::to_string(n));
  return Status::ok();
}

// Checks that input i is scalar, 1-element, or 1-D of `count` elements (count < 0: unknown).
inline Status check_scalar_or_vector(const InferContext& ctx, int i, int64_t count, const char* what) {
  if (!ctx.has_input(i)) return Status::ok();
  const ValueType& t = ctx.input_type(i);
  if (t.has_shape && t.dims.size() > 1) return ctx.error(std::string(what) + " must be a scalar or 1-D tensor");
  const int64_t n = static_numel(t);
  if (n >= 0 && n != 1 && count >= 0 && n != count)
    return ctx.error(std::string(what) + " has " + std::to_string(n) + " elements, expected 1 or " +
                     std::to_string(count));
  return Status::ok();
}

// Checks that input i has one of the float dtypes (scales).
inline Status check_float_input(const InferContext& ctx, int i, const char* what) {
  if (!ctx.has_input(i)) return ctx.error(std::string(what) + " is required");
  const DType t = ctx.input_type(i).dtype;
  if (t != DType::kUndefined && !is_float(t))
    return ctx.error(std::string(what) + " must be a float tensor, got " + dtype_name(t));
  return Status::ok();
}

// Checks that input i, when present, has dtype `expected`.
inline Status check_dtype(const InferContext& ctx, int i, DType expected, const char* what) {
  if (!ctx.has_input(i)) return Status::ok();
  const DType t = ctx.input_type(i).dtype;
  if (t != DType::kUndefined && expected != DType::kUndefined && t != expected)
    return ctx.error(std::string(what) + " must be " + dtype_name(expected) + ", got " + dtype_name(t));
  return Status::ok();
}

// One zero point per channel (m of them) from an absent, 1-element or m-element tensor.
inline Result<std::vector<int32_t>> per_channel_zero_points(const Tensor* zp, int64_t m) {
  std::vector<int32_t> out(static_cast<size_t>(m), 0);
  if (!zp) return out;
  if (zp->numel() != 1 && zp->numel() != m)
    return invalid_argument("zero point has " + std::to_string(zp->numel()) + " elements, expected 1 or " + std::to_string(m));
  for (int64_t i = 0; i < m; ++i) out[i] = zero_point_at(zp, zp->numel() == 1 ? 0 : i);
  return out;
}

// One scale per channel (m of them) from a 1-element or m-element tensor.
inline Result<std::vector<float>> per_channel_scales(const Tensor& s, int64_t m) {
  if (s.numel() != 1 && s.numel() != m)
    return invalid_argument("scale has " + std::to_string(s.numel()) + " elements, expected 1 or " + std::to_string(m));
  std::vector<float> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) out[i] = scale_at(s, s.numel() == 1 ? 0 : i);
  return out;
}

}  // namespace ew::quant
