// ONNX TensorProto <-> Tensor, including tensors whose bytes live in an
// external file beside the model (the ONNX external-data layout).
#pragma once

#include <string>

#include "core/tensor.h"

namespace onnx { class TensorProto; }

namespace ew {

// Converts a TensorProto. `base_dir` is the model's folder, used for external
// data; locations that escape it, missing files and short reads are errors.
Result<Tensor> tensor_from_proto(const onnx::TensorProto& proto, const std::string& base_dir = "");
// Writes dims, data_type and raw_data (little-endian), and the name.
void tensor_to_proto(const Tensor& t, const std::string& name, onnx::TensorProto* proto);

// A single serialized TensorProto file (the test_data_set_N/input_K.pb layout).
Result<Tensor> read_tensor_pb(const std::string& path, std::string* name = nullptr);
Status write_tensor_pb(const std::string& path, const Tensor& t, const std::string& name = "");

// Parses serialized TensorProto bytes (for fuzzing and in-memory use).
Result<Tensor> parse_tensor_pb(const std::string& bytes, std::string* name = nullptr);

}  // namespace ew
