// Static type information for graph values: dtype plus a shape whose
// dimensions may be symbolic ("N", "batch_size") or unknown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"

namespace ew {

struct Dim {
  int64_t value = -1;   // >= 0 when known
  std::string symbol;   // name of a symbolic dim, empty when anonymous

  Dim() = default;
  Dim(int64_t v) : value(v) {}  // NOLINT(implicit)
  static Dim symbolic(std::string s) { Dim d; d.symbol = std::move(s); return d; }
  bool known() const { return value >= 0; }
  bool operator==(const Dim& o) const { return value == o.value && symbol == o.symbol; }
  std::string to_string() const { return known() ? std::to_string(value) : (symbol.empty() ? "?" : symbol); }
};

struct ValueType {
  DType dtype = DType::kUndefined;
  bool has_shape = false;  // false: rank unknown
  std::vector<Dim> dims;

  static ValueType of(DType t, const Shape& s) {
    ValueType v{t, true, {}};
    for (int64_t d : s) v.dims.emplace_back(d);
    return v;
  }
  bool fully_known() const {
    if (!has_shape) return false;
    for (const Dim& d : dims) if (!d.known()) return false;
    return true;
  }
  Shape concrete_shape() const {  // only meaningful when fully_known()
    Shape s;
    for (const Dim& d : dims) s.push_back(d.value);
    return s;
  }
  std::string to_string() const;  // "float32[N,3,224,224]"
};

struct ValueInfo {
  std::string name;
  ValueType type;
};

}  // namespace ew
