#include "train/optimizer.h"

#include <cmath>
#include <set>
#include <sstream>

#include "train/adam.h"
#include "train/sgd.h"

#include "train/option_error.h"

namespace ew::train {

namespace {

std::string num(double v) {
  std::ostringstream ss;
  ss << v;
  return ss.str();
}

Status field_error(const std::string& field, const std::string& rule, double got) {
  return option_error("optimizer", field, rule, got);
}

// Sum of squares in double, in eight lanes so the loop vectorizes without
// reassociating: the same bits on every run.
double sum_of_squares(const float* x, int64_t n) {
  double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) {
      double d = x[i + j];
      lane[j] += d * d;
    }
  double s = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (; i < n; ++i) s += static_cast<double>(x[i]) * x[i];
  return s;
}

bool all_finite(const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

}  // namespace

Status validate(const OptimizerOptions& o) {
  if (o.kind != "sgd" && o.kind != "adam" && o.kind != "adamw")
    return invalid_argument("optimizer option 'kind': unknown optimizer '" + o.kind + "' (expected sgd, adam or adamw)");
  if (!(o.weight_decay >= 0) || !std::isfinite(o.weight_decay))
    return field_error("weight_decay", ">= 0 and finite", o.weight_decay);
  if (o.kind == "sgd") {
    if (!(o.momentum >= 0) || !std::isfinite(o.momentum)) return field_error("momentum", ">= 0 and finite", o.momentum);
    if (o.nesterov && o.momentum == 0)
      return invalid_argument("optimizer option 'nesterov' needs 'momentum' > 0");
    return Status::ok();
  }
  if (!(o.beta1 >= 0 && o.beta1 < 1)) return field_error("beta1", "in [0, 1)", o.beta1);
  if (!(o.beta2 >= 0 && o.beta2 < 1)) return field_error("beta2", "in [0, 1)", o.beta2);
  if (!(o.epsilon >= 0) || !std::isfinite(o.epsilon)) return field_error("epsilon", ">= 0 and finite", o.epsilon);
  return Status::ok();
}

Result<std::unique_ptr<Optimizer>> Optimizer::create(const OptimizerOptions& o) {
  EW_RETURN_IF_ERROR(validate(o));
  if (o.kind == "sgd") return std::unique_ptr<Optimizer>(new Sgd(o));
  return std::unique_ptr<Optimizer>(new Adam(o));
}

Status check_step_arguments(const std::vector<Parameter>& params, double lr) {
  if (!(lr > 0) || !std::isfinite(lr))
    return invalid_argument("learning rate 'lr' must be > 0 and finite, got " + num(lr));
  std::set<std::string> names;
  for (const Parameter& p : params) {
    if (p.name.empty()) return invalid_argument("a parameter has an empty name");
    if (!names.insert(p.name).second) return invalid_argument("parameter '" + p.name + "' appears twice");
    if (p.value.dtype() != DType::kFloat32 || !p.value.raw())
      return invalid_argument("parameter '" + p.name + "' must be a float32 tensor, got " + p.value.describe());
    if (p.grad.dtype() != DType::kFloat32 || p.grad.shape() != p.value.shape() || !p.grad.raw())
      return invalid_argument("gradient of parameter '" + p.name + "' is " + p.grad.describe() +
                              ", expected float32" + shape_to_string(p.value.shape()));
  }
  return Status::ok();
}

Result<double> clip_grad_norm(std::vector<Parameter>& params, double max_norm) {
  double sum = 0;
  for (const Parameter& p : params) {
    if (p.grad.dtype() != DType::kFloat32 || (p.grad.numel() && !p.grad.raw()))
      return invalid_argument("gradient of parameter '" + p.name + "' must be a float32 tensor, got " +
                              p.grad.describe());
    sum += sum_of_squares(p.grad.data<float>(), p.grad.numel());
  }
  const double norm = std::sqrt(sum);
  if (!std::isfinite(norm)) {
    for (const Parameter& p : params)
      if (!all_finite(p.grad.data<float>(), p.grad.numel()))
        return invalid_argument("gradient of parameter '" + p.name + "' is not finite (NaN or infinity)");
    return invalid_argument("the global gradient norm is not finite");
  }
  if (!(max_norm > 0)) return norm;
  const double coef = max_norm / (norm + 1e-6);
  if (coef >= 1) return norm;
  const float c = static_cast<float>(coef);
  for (Parameter& p : params) {
    float* g = p.grad.data<float>();
    for (int64_t i = 0, n = p.grad.numel(); i < n; ++i) g[i] *= c;
  }
  return norm;
}

}  // namespace ew::train
