// First-order optimizers for the training engine: SGD (momentum, Nesterov),
// Adam and AdamW, defined exactly as PyTorch's torch.optim classes (the
// single-tensor CPU path, dampening 0, no amsgrad/maximize):
//
//   sgd:   g = grad + wd*p                      (L2: weight decay added to the gradient)
//          b = g on a parameter's first step, else b = momentum*b + g
//          g = nesterov ? g + momentum*b : b    (when momentum > 0)
//          p = p - lr*g
//   adam:  g = grad + wd*p                      (L2)
//   adamw: p = p * (1 - lr*wd)                  (decoupled decay, before the update)
//          t = t + 1                            (per parameter)
//          m = lerp(m, g, 1-beta1)              v = beta2*v + (1-beta2)*g*g
//          p = p - (lr / (1-beta1^t)) * m / (sqrt(v) / sqrt(1-beta2^t) + eps)
//
// Element arithmetic is float32 in PyTorch's operation order; scalars (bias
// corrections, step sizes) are computed in double and rounded to float once,
// as PyTorch does. Results are deterministic: the same inputs give the same
// bits on every run (no threads, no reassociation). PyTorch's AVX2 kernels fuse
// some multiply-adds, so against PyTorch the agreement is to about an ulp per
// step rather than bit for bit.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "train/parameter.h"

namespace ew::train {

struct OptimizerOptions {
  std::string kind = "adamw";  // "sgd" | "adam" | "adamw"
  double momentum = 0.9;       // sgd, >= 0 (0: plain SGD)
  bool nesterov = false;       // sgd; needs momentum > 0
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // adam/adamw; betas in [0, 1), epsilon >= 0
  double weight_decay = 0.0;   // >= 0. sgd/adam: L2 added to the gradient; adamw: decoupled (p -= lr*wd*p)
};

// Checks the fields `o.kind` uses; the message names the bad field.
Status validate(const OptimizerOptions& o);

class Optimizer {
 public:
  // Validates `o` (the error names the field) and makes the optimizer.
  static Result<std::unique_ptr<Optimizer>> create(const OptimizerOptions& o);
  virtual ~Optimizer() = default;

  // One update of every parameter from its grad with learning rate lr (> 0, finite).
  // Parameters are matched to state by name; a new name gets fresh state, and
  // state of names absent from `params` is kept. Everything is checked before
  // anything changes: on error no value and no state has moved.
  virtual Status step(std::vector<Parameter>& params, double lr) = 0;
  // How many successful step() calls (including those before a load_state).
  virtual int64_t steps() const = 0;
  // Everything needed to continue bit-identically after a restart, as deep
  // copies: "step" (int64 scalar, = steps()) and per parameter
  //   sgd:        "momentum/<param>"                       (when momentum > 0)
  //   adam/adamw: "exp_avg/<param>", "exp_avg_sq/<param>" (float32) and "step/<param>" (int64 scalar)
  virtual std::map<std::string, Tensor> state() const = 0;
  // Replaces all state with a copy of `state`. Validates names (an unknown or
  // missing entry is named), dtypes and shapes; on error the state is unchanged.
  virtual Status load_state(const std::map<std::string, Tensor>& state) = 0;

  const OptimizerOptions& options() const { return options_; }

 protected:
  explicit Optimizer(OptimizerOptions o) : options_(std::move(o)) {}

 private:
  OptimizerOptions options_;
};

// Checks what every optimizer needs of `params`: unique non-empty names, float32
// values with grads of the same shape; `lr` > 0 and finite.
Status check_step_arguments(const std::vector<Parameter>& params, double lr);

// Scales all grads so that their global L2 norm is at most max_norm (PyTorch's
// clip_grad_norm_: factor max_norm / (norm + 1e-6), only when below 1); no
// scaling when max_norm <= 0. Returns the norm before clipping, accumulated in
// double. A non-finite norm is an error naming the first parameter whose
// gradient holds a NaN or infinity (checked whatever max_norm is, and then no
// gradient is changed).
Result<double> clip_grad_norm(std::vector<Parameter>& params, double max_norm);

}  // namespace ew::train
