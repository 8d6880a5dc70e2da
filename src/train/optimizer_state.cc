#include "train/optimizer_state.h"

namespace ew::train {

Tensor step_tensor(int64_t v) {
  auto t = Tensor::scalar<int64_t>(v);
  return t.is_ok() ? std::move(t).value() : Tensor();
}

Result<int64_t> read_step(const Tensor& t, const std::string& key) {
  if (t.dtype() != DType::kInt64 || t.numel() != 1 || t.rank() != 0)
    return invalid_argument("optimizer state '" + key + "' must be an int64 scalar, got " + t.describe());
  int64_t v = t.data<int64_t>()[0];
  if (v < 0) return invalid_argument("optimizer state '" + key + "' is negative (" + std::to_string(v) + ")");
  return v;
}

Result<Tensor> read_float_state(const Tensor& t, const std::string& key) {
  if (t.dtype() != DType::kFloat32)
    return invalid_argument("optimizer state '" + key + "' must be float32, got " + t.describe());
  return t.clone();
}

bool split_state_key(const std::string& key, std::string* prefix, std::string* param) {
  size_t slash = key.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) return false;
  *prefix = key.substr(0, slash);
  *param = key.substr(slash + 1);
  return true;
}

Status own_buffer(Tensor& t) {
  if (t.buffer_use_count() <= 1) return Status::ok();
  EW_ASSIGN_OR_RETURN(t, t.clone());
  return Status::ok();
}

}  // namespace ew::train
