// Checks the gradient builder against central finite differences: the model's
// float outputs are projected onto fixed random tensors and summed into a
// scalar loss, L = Σ_k Σ out_k · R_k, so the check covers the whole
// vector-Jacobian product; every trainable parameter (float initializer of
// rank >= 1) is checked at up to `max_elements` positions spread over it, or
// as a whole along two directions (`directional`).
// Both the analytic gradients and the differences come from the same training
// graph (BatchNorm on batch statistics, dropout with a fixed seed), run in
// float32; `eps`, `rtol` and `atol` are chosen for float32 arithmetic.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "ir/graph.h"

namespace ew::train::test {

struct GradCheckOptions {
  std::map<std::string, Tensor> inputs;  // the forward model's data inputs
  float eps = 1e-2f;
  double rtol = 2e-2, atol = 2e-3;
  int max_elements = 16;
  uint32_t seed = 1;
  bool batch_norm_training = true;
  // Instead of single elements, move each parameter tensor as a whole along
  // its gradient and along a random unit direction (whole models: every
  // weight is covered and the change in the loss stays well above rounding).
  bool directional = false;
};

::testing::AssertionResult check_gradients(const Model& forward, const GradCheckOptions& options);

// Deterministic values in [lo, hi) (away from zero when `away_from_zero`:
// |v| >= 0.1, so kinks such as Relu's are not crossed by the difference).
Tensor random_tensor(const Shape& shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f, bool away_from_zero = false);

}  // namespace ew::train::test
