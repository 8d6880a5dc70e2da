// Scalar arithmetic with defined results where C++ leaves them undefined:
// wrapping (two's-complement) integer add/sub/mul/neg/pow, and float->int
// conversion that truncates and saturates (NaN -> 0) instead of overflowing.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ew {

// The unsigned type that integer arithmetic on T wraps in (T itself for non-integers).
template <typename T, bool = std::is_integral_v<T> && !std::is_same_v<T, bool>>
struct wrap_type { using type = T; };
template <typename T>
struct wrap_type<T, true> { using type = std::make_unsigned_t<T>; };

template <typename T> T wrapping_add(T a, T b) {
  using U = typename wrap_type<T>::type;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}
template <typename T> T wrapping_sub(T a, T b) {
  using U = typename wrap_type<T>::type;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
}
template <typename T> T wrapping_mul(T a, T b) {
  using U = typename wrap_type<T>::type;
  if constexpr (std::is_integral_v<T> && sizeof(T) < sizeof(unsigned)) {
    // uint8/uint16 promote to (signed) int, whose product can overflow.
    return static_cast<T>(static_cast<unsigned>(static_cast<U>(a)) * static_cast<unsigned>(static_cast<U>(b)));
  } else {
    return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
  }
}
template <typename T> T wrapping_neg(T v) {
  if constexpr (std::is_floating_point_v<T>) return -v;  // keeps -0.0
  else return wrapping_sub(T(0), v);
}

// Integer power with wrapping; negative exponents give the truncated real result
// (1 for base 1, +-1 for base -1, else 0; 0 for base 0 instead of a division by zero).
template <typename T>
T int_pow(T base, int64_t exp) {
  if (exp < 0) {
    if (base == T(1)) return T(1);
    if constexpr (std::is_signed_v<T>)
      if (base == T(-1)) return (exp % 2 == 0) ? T(1) : T(-1);
    return T(0);
  }
  T result = T(1);
  while (exp > 0) {
    if (exp & 1) result = wrapping_mul(result, base);
    base = wrapping_mul(base, base);
    exp >>= 1;
  }
  return result;
}

// Float -> integer: truncation toward zero, saturating at the type's range; NaN -> 0.
template <typename I>
I float_to_int(double v) {
  if constexpr (std::is_same_v<I, bool>) {
    return v != 0;
  } else {
    if (std::isnan(v)) return I(0);
    if (v >= static_cast<double>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
    if (v <= static_cast<double>(std::numeric_limits<I>::lowest())) return std::numeric_limits<I>::lowest();
    return static_cast<I>(v);
  }
}

// Converts a computed value to T: plain conversion for floats, float_to_int for integers.
template <typename T, typename V>
T convert_to(V v) {
  if constexpr (std::is_floating_point_v<V> && std::is_integral_v<T>) return float_to_int<T>(static_cast<double>(v));
  else return static_cast<T>(v);
}

}  // namespace ew
