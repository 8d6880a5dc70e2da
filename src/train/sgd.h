// Stochastic gradient descent with optional momentum (dampening 0), Nesterov
// momentum and L2 weight decay, as torch.optim.SGD (formulas: optimizer.h).
#pragma once

#include "train/optimizer.h"

namespace ew::train {

class Sgd final : public Optimizer {
 public:
  explicit Sgd(const OptimizerOptions& o) : Optimizer(o) {}
  Status step(std::vector<Parameter>& params, double lr) override;
  int64_t steps() const override { return steps_; }
  std::map<std::string, Tensor> state() const override;
  Status load_state(const std::map<std::string, Tensor>& state) override;

 private:
  int64_t steps_ = 0;
  std::map<std::string, Tensor> momentum_;  // per parameter, once it has taken a step
};

}  // namespace ew::train
