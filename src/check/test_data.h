// Reference data in the ONNX layout: test_data_set_N/{input,output}_K.pb.
#pragma once

#include <string>
#include <vector>

#include "check/compare.h"
#include "core/tensor.h"
#include "runtime/session.h"

namespace ew {

struct NamedTensor {
  std::string name;  // from the file's TensorProto name; may be empty
  Tensor tensor;
};

struct TestDataSet {
  std::string dir;
  std::vector<NamedTensor> inputs;
  std::vector<NamedTensor> outputs;
};

// Reads input_K.pb and output_K.pb for K = 0, 1, ... until a file is missing.
Result<TestDataSet> read_test_data_set(const std::string& dir);
// The test_data_set_N folders of a model folder, in order.
std::vector<std::string> list_test_data_sets(const std::string& model_dir);

// ONNX 1.12's backend test data stores bfloat16 tensors with data_type UINT16.
// Returns `t` reinterpreted as `want` when that is such a tensor, else `t`.
Tensor adapt_bfloat16_quirk(const Tensor& t, DType want);

// Tolerance for comparing a model output with a reference (../shared/models
// convention): floats rtol 1e-3 / atol 1e-4; int8/uint8 outputs within one
// quantization step; float outputs that a DequantizeLinear with a constant
// scalar scale produces are quantized values too, so atol is one step of that scale.
Tolerance reference_tolerance(const Model& model, const std::string& output, const Tensor& expected);

// Maps data-set inputs to the session's inputs: by name when names match, else by position.
Result<std::map<std::string, Tensor>> bind_inputs(const Session& session, const TestDataSet& data);

}  // namespace ew
