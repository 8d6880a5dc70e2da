// A trainable parameter as the optimizer sees it: its value, updated in place,
// and the gradient of the loss with respect to it from the latest backward pass.
#pragma once

#include <string>

#include "core/tensor.h"

namespace ew::train {

struct Parameter {
  std::string name;  // unique within one optimizer; its state is keyed by it
  Tensor value;      // float32, updated in place by Optimizer::step
  Tensor grad;       // float32, same shape as value; clip_grad_norm scales it in place
};

}  // namespace ew::train
