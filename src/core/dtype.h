// Element types. The numeric values equal ONNX TensorProto.DataType, so
// conversion to and from the file format is a cast after a range check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "core/half.h"
#include "core/status.h"

namespace ew {

// One declarative list: X(Enum, onnx_number, c_type, name)
#define EW_DTYPE_LIST(X)                 \
  X(kFloat32, 1, float, "float32")       \
  X(kUInt8, 2, uint8_t, "uint8")         \
  X(kInt8, 3, int8_t, "int8")            \
  X(kUInt16, 4, uint16_t, "uint16")      \
  X(kInt16, 5, int16_t, "int16")         \
  X(kInt32, 6, int32_t, "int32")         \
  X(kInt64, 7, int64_t, "int64")         \
  X(kBool, 9, bool, "bool")              \
  X(kFloat16, 10, float16, "float16")    \
  X(kFloat64, 11, double, "float64")     \
  X(kUInt32, 12, uint32_t, "uint32")     \
  X(kUInt64, 13, uint64_t, "uint64")     \
  X(kBFloat16, 16, bfloat16, "bfloat16")

enum class DType : int {
  kUndefined = 0,
#define EW_DTYPE_ENUM(e, n, t, s) e = n,
  EW_DTYPE_LIST(EW_DTYPE_ENUM)
#undef EW_DTYPE_ENUM
};

size_t dtype_size(DType t);
const char* dtype_name(DType t);
// Maps an ONNX TensorProto data type number; fails on types Edgewise does not hold (string, complex, fp8).
Result<DType> dtype_from_onnx(int onnx_type);
// Parses names such as "float32", "float", "int64", "uint8".
Result<DType> dtype_from_name(const std::string& name);

bool is_float(DType t);     // float16, bfloat16, float32, float64
bool is_signed_int(DType t);
bool is_unsigned_int(DType t);
inline bool is_integer(DType t) { return is_signed_int(t) || is_unsigned_int(t); }

template <typename T> struct dtype_of;
#define EW_DTYPE_OF(e, n, t, s) \
  template <> struct dtype_of<t> { static constexpr DType value = DType::e; };
EW_DTYPE_LIST(EW_DTYPE_OF)
#undef EW_DTYPE_OF
template <typename T> inline constexpr DType dtype_v = dtype_of<T>::value;

template <typename T> struct type_tag { using type = T; };

// Calls fn(type_tag<T>{}) for the C++ type of t. Returns false if t is not in the list.
// Usage: visit_dtype(t, [&](auto tag) { using T = typename decltype(tag)::type; ... });
template <typename Fn>
bool visit_dtype(DType t, Fn&& fn) {
  switch (t) {
#define EW_DTYPE_CASE(e, n, ty, s) \
  case DType::e: fn(type_tag<ty>{}); return true;
    EW_DTYPE_LIST(EW_DTYPE_CASE)
#undef EW_DTYPE_CASE
    default: return false;
  }
}

// Same, restricted to the float types.
template <typename Fn>
bool visit_float(DType t, Fn&& fn) {
  switch (t) {
    case DType::kFloat32: fn(type_tag<float>{}); return true;
    case DType::kFloat64: fn(type_tag<double>{}); return true;
    case DType::kFloat16: fn(type_tag<float16>{}); return true;
    case DType::kBFloat16: fn(type_tag<bfloat16>{}); return true;
    default: return false;
  }
}

// Same, restricted to numeric types (everything but bool).
template <typename Fn>
bool visit_numeric(DType t, Fn&& fn) {
  if (t == DType::kBool) return false;
  return visit_dtype(t, std::forward<Fn>(fn));
}

// Arithmetic type used to compute on T: float for the 16-bit floats, T otherwise.
template <typename T> struct compute_type { using type = T; };
template <> struct compute_type<float16> { using type = float; };
template <> struct compute_type<bfloat16> { using type = float; };
template <typename T> using compute_t = typename compute_type<T>::type;

}  // namespace ew
