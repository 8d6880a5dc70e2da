// Adam (L2 weight decay added to the gradient) and AdamW (decoupled weight
// decay), as torch.optim.Adam / torch.optim.AdamW with amsgrad off
// (formulas: optimizer.h). Each parameter keeps its own step count for the
// bias corrections, so a parameter first seen late starts its own warm-up as
// in PyTorch.
#pragma once

#include "train/optimizer.h"

namespace ew::train {

class Adam final : public Optimizer {
 public:
  explicit Adam(const OptimizerOptions& o) : Optimizer(o) {}
  Status step(std::vector<Parameter>& params, double lr) override;
  int64_t steps() const override { return steps_; }
  std::map<std::string, Tensor> state() const override;
  Status load_state(const std::map<std::string, Tensor>& state) override;

 private:
  struct Moments {
    Tensor exp_avg, exp_avg_sq;  // float32, the parameter's shape
    int64_t step = 0;            // updates this parameter has had
  };
  int64_t steps_ = 0;
  std::map<std::string, Moments> moments_;
};

}  // namespace ew::train
