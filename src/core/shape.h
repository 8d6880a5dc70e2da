// Shapes: concrete dimensions as int64. Symbolic dimensions appear only in
// the IR's type information (ir/value_type.h), never in a Tensor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ew {

using Shape = std::vector<int64_t>;

// Product of dims; nullopt if any dim is negative or the product overflows int64.
std::optional<int64_t> shape_numel(const Shape& shape);
std::string shape_to_string(const Shape& shape);  // "[1,3,224,224]"

// Row-major strides in elements.
std::vector<int64_t> shape_strides(const Shape& shape);

// Normalizes a possibly negative axis into [0, rank); nullopt if out of range.
std::optional<int64_t> normalize_axis(int64_t axis, int64_t rank);

}  // namespace ew
