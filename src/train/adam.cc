#include "train/adam.h"

#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
#endif

#include "train/optimizer_state.h"

namespace ew::train {

namespace {

// Square roots of a block in place. GCC does not vectorize sqrtf while errno
// may be set (-fmath-errno, the default), so the vector forms are spelled out;
// each is the IEEE correctly rounded root, the same bits as std::sqrt.
void sqrt_in_place(float* x, int64_t n) {
  int64_t i = 0;
#if defined(__SSE2__)
  for (; i + 4 <= n; i += 4) _mm_storeu_ps(x + i, _mm_sqrt_ps(_mm_loadu_ps(x + i)));
#elif defined(__aarch64__) && defined(__ARM_NEON)
  for (; i + 4 <= n; i += 4) vst1q_f32(x + i, vsqrtq_f32(vld1q_f32(x + i)));
#endif
  for (; i < n; ++i) x[i] = std::sqrt(x[i]);
}

struct AdamScalars {
  float wd;              // L2 factor (adam) or 0
  float lerp_weight;     // 1 - beta1
  bool lerp_small;       // |weight| < 0.5: PyTorch's lerp takes the start-based form
  float beta2, one_minus_beta2;
  float bias_correction2_sqrt, eps;
  float neg_step_size;   // -lr / (1 - beta1^t)
};

// One block of the update in torch.optim.Adam's order (exp_avg.lerp_,
// exp_avg_sq.mul_.addcmul_, denom = sqrt(v) / bc2_sqrt + eps, p.addcdiv_).
void adam_block(float* p, const float* grad, float* m, float* v, float* denom, int64_t n, const AdamScalars& s) {
  for (int64_t i = 0; i < n; ++i) {
    const float g = s.wd != 0 ? grad[i] + s.wd * p[i] : grad[i];
    const float diff = g - m[i];
    m[i] = s.lerp_small ? m[i] + s.lerp_weight * diff : g - diff * (1.0f - s.lerp_weight);
    v[i] = v[i] * s.beta2 + s.one_minus_beta2 * g * g;
    denom[i] = v[i];
  }
  sqrt_in_place(denom, n);
  for (int64_t i = 0; i < n; ++i) p[i] = p[i] + s.neg_step_size * m[i] / (denom[i] / s.bias_correction2_sqrt + s.eps);
}

void adam_update(float* p, const float* grad, float* m, float* v, int64_t n, const AdamScalars& s) {
  constexpr int64_t kBlock = 256;
  alignas(64) float denom[kBlock];
  for (int64_t i = 0; i < n; i += kBlock) {
    const int64_t len = n - i < kBlock ? n - i : kBlock;
    adam_block(p + i, grad + i, m + i, v + i, denom, len, s);
  }
}

}  // namespace

Status Adam::step(std::vector<Parameter>& params, double lr) {
  EW_RETURN_IF_ERROR(check_step_arguments(params, lr));
  const OptimizerOptions& o = options();
  const bool decoupled = o.kind == "adamw";
  // Prepare: every moment checked, owned and allocated before any value moves.
  std::map<std::string, Moments> fresh;
  for (const Parameter& p : params) {
    auto it = moments_.find(p.name);
    if (it == moments_.end()) {
      Moments& f = fresh[p.name];
      EW_ASSIGN_OR_RETURN(f.exp_avg, Tensor::create(DType::kFloat32, p.value.shape()));
      EW_ASSIGN_OR_RETURN(f.exp_avg_sq, Tensor::create(DType::kFloat32, p.value.shape()));
      continue;
    }
    if (it->second.exp_avg.shape() != p.value.shape())
      return invalid_argument("parameter '" + p.name + "' is " + p.value.describe() + " but its Adam moments are " +
                              it->second.exp_avg.describe());
    EW_RETURN_IF_ERROR(own_buffer(it->second.exp_avg));
    EW_RETURN_IF_ERROR(own_buffer(it->second.exp_avg_sq));
  }
  for (auto& [name, f] : fresh) moments_[name] = std::move(f);

  const float decay_factor = static_cast<float>(1.0 - lr * o.weight_decay);
  for (Parameter& p : params) {
    Moments& mo = moments_[p.name];
    const int64_t t = ++mo.step;
    float* value = p.value.data<float>();
    const int64_t n = p.value.numel();
    if (decoupled && o.weight_decay != 0)
      for (int64_t i = 0; i < n; ++i) value[i] = value[i] * decay_factor;
    AdamScalars s;
    s.wd = decoupled ? 0.0f : static_cast<float>(o.weight_decay);
    s.lerp_weight = static_cast<float>(1.0 - o.beta1);
    s.lerp_small = std::fabs(s.lerp_weight) < 0.5f;
    s.beta2 = static_cast<float>(o.beta2);
    s.one_minus_beta2 = static_cast<float>(1.0 - o.beta2);
    s.bias_correction2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(o.beta2, static_cast<double>(t))));
    s.eps = static_cast<float>(o.epsilon);
    s.neg_step_size = static_cast<float>(-(lr / (1.0 - std::pow(o.beta1, static_cast<double>(t)))));
    adam_update(value, p.grad.data<float>(), mo.exp_avg.data<float>(), mo.exp_avg_sq.data<float>(), n, s);
  }
  ++steps_;
  return Status::ok();
}

std::map<std::string, Tensor> Adam::state() const {
  std::map<std::string, Tensor> s;
  s["step"] = step_tensor(steps_);
  for (const auto& [name, mo] : moments_) {
    s["exp_avg/" + name] = mo.exp_avg;
    s["exp_avg_sq/" + name] = mo.exp_avg_sq;
    s["step/" + name] = step_tensor(mo.step);
  }
  return s;
}

Status Adam::load_state(const std::map<std::string, Tensor>& state) {
  auto step = state.find("step");
  if (step == state.end()) return invalid_argument("optimizer state has no 'step'");
  EW_ASSIGN_OR_RETURN(int64_t steps, read_step(step->second, "step"));
  std::map<std::string, Moments> moments;
  std::map<std::string, int> seen;  // bit 1: exp_avg, 2: exp_avg_sq, 4: step
  for (const auto& [key, t] : state) {
    if (key == "step") continue;
    std::string prefix, param;
    if (!split_state_key(key, &prefix, &param) || (prefix != "exp_avg" && prefix != "exp_avg_sq" && prefix != "step"))
      return invalid_argument("optimizer state '" + key + "' is not " + options().kind +
                              " state (expected 'step', 'exp_avg/<param>', 'exp_avg_sq/<param>', 'step/<param>')");
    Moments& mo = moments[param];
    if (prefix == "exp_avg") {
      EW_ASSIGN_OR_RETURN(mo.exp_avg, read_float_state(t, key));
      seen[param] |= 1;
    } else if (prefix == "exp_avg_sq") {
      EW_ASSIGN_OR_RETURN(mo.exp_avg_sq, read_float_state(t, key));
      seen[param] |= 2;
    } else {
      EW_ASSIGN_OR_RETURN(mo.step, read_step(t, key));
      seen[param] |= 4;
    }
  }
  for (const auto& [param, mo] : moments) {
    const char* missing = !(seen[param] & 1) ? "exp_avg/" : !(seen[param] & 2) ? "exp_avg_sq/" :
                          !(seen[param] & 4) ? "step/" : nullptr;
    if (missing) return invalid_argument("optimizer state has no '" + std::string(missing) + param + "'");
    if (mo.exp_avg.shape() != mo.exp_avg_sq.shape())
      return invalid_argument("optimizer state 'exp_avg/" + param + "' is " + mo.exp_avg.describe() +
                              " but 'exp_avg_sq/" + param + "' is " + mo.exp_avg_sq.describe());
  }
  steps_ = steps;
  moments_ = std::move(moments);
  return Status::ok();
}

}  // namespace ew::train
