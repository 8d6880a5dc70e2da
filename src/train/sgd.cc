#include "train/sgd.h"

#include "train/optimizer_state.h"

namespace ew::train {

namespace {

// The kernel: float32 per element in torch.optim.SGD's order, one instance per
// option set so every loop is branch-free and vectorizes. On a parameter's
// first step (`first`) the momentum buffer starts as the gradient.
template <bool kDecay, bool kMomentum, bool kNesterov>
void sgd_kernel(float* p, const float* grad, float* buf, int64_t n, float wd, float momentum, float neg_lr,
                bool first) {
  for (int64_t i = 0; i < n; ++i) {
    float g = grad[i];
    if constexpr (kDecay) g = g + wd * p[i];
    if constexpr (kMomentum) {
      buf[i] = first ? g : buf[i] * momentum + g;
      g = kNesterov ? g + momentum * buf[i] : buf[i];
    }
    p[i] = p[i] + neg_lr * g;
  }
}

using SgdKernel = void (*)(float*, const float*, float*, int64_t, float, float, float, bool);

SgdKernel pick_kernel(bool decay, bool momentum, bool nesterov) {
  static constexpr SgdKernel kTable[2][2][2] = {
      {{sgd_kernel<false, false, false>, sgd_kernel<false, false, false>},
       {sgd_kernel<false, true, false>, sgd_kernel<false, true, true>}},
      {{sgd_kernel<true, false, false>, sgd_kernel<true, false, false>},
       {sgd_kernel<true, true, false>, sgd_kernel<true, true, true>}}};
  return kTable[decay][momentum][nesterov];
}

}  // namespace

Status Sgd::step(std::vector<Parameter>& params, double lr) {
  EW_RETURN_IF_ERROR(check_step_arguments(params, lr));
  const OptimizerOptions& o = options();
  const bool use_momentum = o.momentum != 0;
  // Prepare: every buffer checked, owned and allocated before any value moves.
  std::map<std::string, Tensor> fresh;
  if (use_momentum) {
    for (const Parameter& p : params) {
      auto it = momentum_.find(p.name);
      if (it == momentum_.end()) {
        EW_ASSIGN_OR_RETURN(fresh[p.name], Tensor::create(DType::kFloat32, p.value.shape()));
        continue;
      }
      if (it->second.shape() != p.value.shape())
        return invalid_argument("parameter '" + p.name + "' is " + p.value.describe() +
                                " but its momentum buffer is " + it->second.describe());
      EW_RETURN_IF_ERROR(own_buffer(it->second));
    }
  }
  const SgdKernel kernel = pick_kernel(o.weight_decay != 0, use_momentum, o.nesterov);
  const float wd = static_cast<float>(o.weight_decay), momentum = static_cast<float>(o.momentum);
  const float neg_lr = static_cast<float>(-lr);
  for (Parameter& p : params) {
    float* buf = nullptr;
    bool first = false;
    if (use_momentum) {
      auto f = fresh.find(p.name);
      first = f != fresh.end();
      if (first) momentum_[p.name] = f->second;
      buf = momentum_[p.name].data<float>();
    }
    kernel(p.value.data<float>(), p.grad.data<float>(), buf, p.value.numel(), wd, momentum, neg_lr, first);
  }
  ++steps_;
  return Status::ok();
}

std::map<std::string, Tensor> Sgd::state() const {
  std::map<std::string, Tensor> s;
  s["step"] = step_tensor(steps_);
  for (const auto& [name, buf] : momentum_) s["momentum/" + name] = buf;
  return s;
}

Status Sgd::load_state(const std::map<std::string, Tensor>& state) {
  auto step = state.find("step");
  if (step == state.end()) return invalid_argument("optimizer state has no 'step'");
  EW_ASSIGN_OR_RETURN(int64_t steps, read_step(step->second, "step"));
  std::map<std::string, Tensor> momentum;
  for (const auto& [key, t] : state) {
    if (key == "step") continue;
    std::string prefix, param;
    if (!split_state_key(key, &prefix, &param) || prefix != "momentum")
      return invalid_argument("optimizer state '" + key + "' is not sgd state (expected 'step' and 'momentum/<param>')");
    if (options().momentum == 0)
      return invalid_argument("optimizer state '" + key + "' is a momentum buffer, but momentum is 0");
    EW_ASSIGN_OR_RETURN(momentum[param], read_float_state(t, key));
  }
  steps_ = steps;
  momentum_ = std::move(momentum);
  return Status::ok();
}

}  // namespace ew::train
