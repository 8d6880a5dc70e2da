// Tensor comparison with the ONNX backend-test convention:
// |actual - expected| <= atol + rtol * |expected| for floats (NaN matches NaN),
// exact equality for integers and bools.
#pragma once

#include <string>

#include "core/tensor.h"

namespace ew {

struct Tolerance {
  double rtol = 1e-3;
  double atol = 1e-5;
  // For quantized (int8/uint8) outputs: allowed difference in quantization steps.
  int64_t int_steps = 0;
};

struct Comparison {
  bool match = false;
  double max_abs_error = 0;
  double max_rel_error = 0;
  int64_t mismatches = 0;
  std::string message;  // why it does not match (shape, dtype, values)
};

Comparison compare_tensors(const Tensor& actual, const Tensor& expected, const Tolerance& tol = {});

}  // namespace ew
