// NumPy .npy files (format versions 1.0, 2.0 and 3.0; little-endian, C order).
#pragma once

#include <string>

#include "core/tensor.h"

namespace ew {

Result<Tensor> read_npy(const std::string& path);
Result<Tensor> parse_npy(const std::string& bytes);
Status write_npy(const std::string& path, const Tensor& t);
std::string serialize_npy(const Tensor& t);

}  // namespace ew
