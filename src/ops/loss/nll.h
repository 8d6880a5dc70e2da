// Shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: shape checks
// and the weighted, ignore_index-aware gather and reduction over log-probabilities
// laid out as [N, C, D] (D the product of the trailing dims d1..dk).
#pragma once

#include <string>
#include <vector>

#include "ops/broadcast.h"

namespace ew {

enum class LossReduction { kNone, kSum, kMean };

inline Result<LossReduction> loss_reduction(const Node& node) {
  const std::string r = node.attr_string("reduction", "mean");
  if (r == "none") return LossReduction::kNone;
  if (r == "sum") return LossReduction::kSum;
  if (r == "mean") return LossReduction::kMean;
  return invalid_argument("reduction must be 'none', 'sum' or 'mean', got '" + r + "'");
}

// Validates (input [N, C, d...], target [N, d...], weight [C]) and sets output 0:
// target's shape for reduction 'none', a scalar otherwise.
inline Status infer_loss(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1)) return ctx.error("needs the scores/input and the target");
  auto red = loss_reduction(ctx.node());
  if (!red.is_ok()) return ctx.error(red.status().message());
  const ValueType& x = ctx.input_type(0);
  const ValueType& t = ctx.input_type(1);
  if (x.dtype != DType::kUndefined && !is_float(x.dtype)) return ctx.error("input must be a float tensor");
  if (t.dtype != DType::kUndefined && t.dtype != DType::kInt32 && t.dtype != DType::kInt64)
    return ctx.error("target must be int32 or int64");
  if (ctx.has_input(2) && ctx.input_type(2).dtype != DType::kUndefined && ctx.input_type(2).dtype != x.dtype)
    return ctx.error("weight must have the input's type");
  if (x.has_shape && x.dims.size() < 2) return ctx.error("input must have rank >= 2 (N, C, ...)");
  if (x.has_shape && t.has_shape) {
    if (t.dims.size() + 1 != x.dims.size()) return ctx.error("target rank must be input rank - 1");
    for (size_t k = 0; k < t.dims.size(); ++k) {
      const Dim& a = t.dims[k];
      const Dim& b = x.dims[k == 0 ? 0 : k + 1];
      if (a.known() && b.known() && a.value != b.value) return ctx.error("target shape does not match input");
    }
  }
  if (*red != LossReduction::kNone) {
    ctx.set_output(0, x.dtype, std::vector<Dim>{});
  } else if (t.has_shape) {
    ctx.set_output(0, x.dtype, t.dims);
  } else {
    ctx.set_output_dtype_only(0, x.dtype);
  }
  return Status::ok();
}

struct LossLayout {
  int64_t n = 0, c = 0, d = 1;
};

// Checks concrete shapes and returns the [N, C, D] view.
inline Result<LossLayout> loss_layout(const Tensor& x, const Tensor& target, const Tensor* weight) {
  if (x.rank() < 2) return invalid_argument("input must have rank >= 2 (N, C, ...)");
  if (target.rank() + 1 != x.rank()) return invalid_argument("target rank must be input rank - 1");
  LossLayout l{x.dim(0), x.dim(1), 1};
  for (int64_t k = 0; k < target.rank(); ++k)
    if (target.dim(k) != x.dim(k == 0 ? 0 : k + 1)) return invalid_argument("target shape does not match input");
  for (int64_t k = 2; k < x.rank(); ++k) l.d *= x.dim(k);
  if (weight && (weight->rank() != 1 || weight->dim(0) != l.c)) return invalid_argument("weight must have shape [C]");
  return l;
}

// loss[n, d] = -logp(n, target[n, d], d) * weight[target], 0 where target == ignore_index;
// reduced into `out` ('mean' divides by the sum of the weights used).
template <typename LogProb>
Status gather_loss(const Node& node, const LossLayout& l, LogProb&& logp, const Tensor& target, const Tensor* weight,
                   Tensor& out) {
  EW_ASSIGN_OR_RETURN(LossReduction red, loss_reduction(node));
  const bool has_ii = node.has_attr("ignore_index");
  const int64_t ii = node.attr_int("ignore_index", 0);
  std::vector<double> loss(static_cast<size_t>(l.n * l.d), 0.0);
  double weight_sum = 0, loss_sum = 0;
  for (int64_t n = 0; n < l.n; ++n)
    for (int64_t d = 0; d < l.d; ++d) {
      const int64_t t = target.get_int64(n * l.d + d);
      if (has_ii && t == ii) continue;
      if (t < 0 || t >= l.c)
        return out_of_range("target " + std::to_string(t) + " out of range [0, " + std::to_string(l.c) + ")");
      const double w = weight ? weight->get_double(t) : 1.0;
      loss[n * l.d + d] = -logp(n, t, d) * w;
      weight_sum += w;
      loss_sum += loss[n * l.d + d];
    }
  bool ok = visit_float(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    auto cast = [](double v) { return T(static_cast<compute_t<T>>(v)); };
    T* o = out.data<T>();
    if (red == LossReduction::kNone) {
      for (size_t i = 0; i < loss.size(); ++i) o[i] = cast(loss[i]);
    } else {
      o[0] = cast(red == LossReduction::kSum ? loss_sum : loss_sum / weight_sum);
    }
  });
  return ok ? Status::ok() : invalid_argument(std::string("unsupported output type ") + dtype_name(out.dtype()));
}

}  // namespace ew
