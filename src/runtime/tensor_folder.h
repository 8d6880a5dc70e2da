// A folder of tensor files standing for a model's inputs or outputs, as the
// benchmarks and `edgewise run --save-inputs/--save-outputs/--check` exchange
// them with other runtimes: one `.npy` per tensor, named by the tensor's name
// (sanitized), or the ONNX test-data layout input_K.pb / output_K.pb.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "ir/graph.h"

namespace ew {

// A tensor name as a file name: '/', '\\' and ':' (and other characters that
// are not letters, digits, '.', '-' or '_') become '_'.
std::string tensor_file_name(const std::string& tensor_name);

// Reads one tensor per value in `values` from `dir`, trying for the K-th value
// NAME.npy (sanitized), then `prefix`_K.npy, then `prefix`_K.pb. `prefix` is
// "input" or "output". Names every missing file tried in the error.
Result<std::map<std::string, Tensor>> read_tensor_folder(const std::string& dir, const std::vector<ValueInfo>& values,
                                                         const std::string& prefix);

// Writes tensors[K] as dir/NAME.npy for names[K], creating `dir`.
Status write_tensor_folder(const std::string& dir, const std::vector<std::string>& names,
                           const std::vector<Tensor>& tensors);

}  // namespace ew
