// Reads a tensor from a .npy or TensorProto .pb file, chosen by content.
#pragma once

#include <string>

#include "core/tensor.h"

namespace ew {

Result<Tensor> read_tensor_file(const std::string& path);
// Writes .npy when the path ends in .npy, else a TensorProto .pb file.
Status write_tensor_file(const std::string& path, const Tensor& t, const std::string& name = "");

}  // namespace ew
