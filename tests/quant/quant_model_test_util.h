// Helpers for quantizer tests: run a model (optionally optimized) on a shared
// model's test_data_set_0 and compare outputs.
#pragma once

#include <gtest/gtest.h>

#include <cmath>

#include "../passes/pass_test_util.h"
#include "quant/quantize.h"

namespace ew::test {

// Outputs of `model` on shared model `name`'s test data, at optimization `level`.
inline std::vector<Tensor> outputs_on_test_data(const Model& model, const std::string& name, int level) {
  return run_on_test_data(model, name, level);
}

// Largest |a - b| over two float tensors of equal size (inf when sizes differ).
inline double max_abs_diff(const Tensor& a, const Tensor& b) {
  if (a.numel() != b.numel()) return INFINITY;
  double m = 0;
  for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(a.get_double(i) - b.get_double(i)));
  return m;
}

inline quant::QuantizeOptions dynamic_options() {
  quant::QuantizeOptions o;
  o.mode = quant::QuantMode::kDynamic;
  return o;
}

inline int64_t initializer_bytes(const Model& m) {
  int64_t n = 0;
  for (const auto& [name, t] : m.graph.initializers) n += t.numel() * static_cast<int64_t>(dtype_size(t.dtype()));
  return n;
}

}  // namespace ew::test
