// BatchNormalization. Inference: y = (x - mean) / sqrt(var + eps) * scale + B
// per channel (dim 1; a rank-1 input is one channel). Training (opset >= 14
// training_mode=1, or any extra output requested before opset 14) normalizes
// with the batch statistics and outputs the running statistics
//   running = input_stat * momentum + batch_stat * (1 - momentum)
// (and, before opset 14, the batch mean and variance as saved_mean/saved_var).
// Before opset 9, spatial=0 gives per-element parameters of shape x.shape[1:].
#include <cmath>
#include <vector>

#include "ops/broadcast.h"

namespace ew {
namespace {

struct Layout {
  int64_t n = 1, c = 1, inner = 1;
};

Layout layout_of(const Shape& s) {
  Layout l;
  if (s.empty()) return l;
  l.n = s[0];
  if (s.size() == 1) return l;
  l.c = s[1];
  for (size_t d = 2; d < s.size(); ++d) l.inner *= s[d];
  return l;
}

bool per_element(const KernelContext& ctx) {
  return ctx.opset() < 9 && ctx.node().attr_int("spatial", 1) == 0;
}

bool training_mode(const Node& node, int64_t opset, bool extra_outputs) {
  return opset >= 14 ? node.attr_int("training_mode", 0) != 0 : extra_outputs;
}

Status infer_batch_norm(InferContext& ctx) {
  for (int i = 0; i < 5; ++i)
    if (!ctx.has_input(i)) return ctx.error("needs 5 inputs: X, scale, B, input_mean, input_var");
  const ValueType& x = ctx.input_type(0);
  for (int i = 0; i < 5; ++i) {
    DType t = ctx.input_type(i).dtype;
    if (t != DType::kUndefined && !is_float(t)) return ctx.error("inputs must be float tensors");
  }
  const bool spatial = !(ctx.opset() < 9 && ctx.node().attr_int("spatial", 1) == 0);
  if (x.has_shape && spatial) {
    Dim c = x.dims.size() >= 2 ? x.dims[1] : Dim(1);
    for (int i = 1; i < 5; ++i) {
      const ValueType& p = ctx.input_type(i);
      if (!p.has_shape) continue;
      if (p.dims.size() != 1) return ctx.error("scale, B, mean and var must be 1-D of size C");
      if (c.known() && p.dims[0].known() && p.dims[0].value != c.value)
        return ctx.error("parameter " + std::to_string(i) + " has size " + std::to_string(p.dims[0].value) +
                         ", expected C = " + std::to_string(c.value));
    }
  }
  ctx.set_output(0, x);
  const ValueType& mean = ctx.input_type(3);
  for (int i = 1; i < ctx.num_outputs(); ++i)
    if (ctx.has_output(i)) ctx.set_output(i, ValueType{i <= 2 ? mean.dtype : x.dtype, mean.has_shape, mean.dims});
  return Status::ok();
}

std::vector<double> read_all(const Tensor& t) {
  std::vector<double> v(static_cast<size_t>(t.numel()));
  for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.get_double(i);
  return v;
}

// Batch mean and (biased) variance per channel, in double.
void batch_stats(const Tensor& x, const Layout& l, std::vector<double>& mean, std::vector<double>& var) {
  mean.assign(l.c, 0.0);
  var.assign(l.c, 0.0);
  const double count = static_cast<double>(l.n * l.inner);
  for (int64_t n = 0; n < l.n; ++n)
    for (int64_t c = 0; c < l.c; ++c)
      for (int64_t i = 0; i < l.inner; ++i) mean[c] += x.get_double((n * l.c + c) * l.inner + i);
  for (double& m : mean) m /= count;
  for (int64_t n = 0; n < l.n; ++n)
    for (int64_t c = 0; c < l.c; ++c)
      for (int64_t i = 0; i < l.inner; ++i) {
        double d = x.get_double((n * l.c + c) * l.inner + i) - mean[c];
        var[c] += d * d;
      }
  for (double& v : var) v /= count;
}

Status write_stats(KernelContext& ctx, int out, const std::vector<double>& values) {
  if (!ctx.has_output(out)) return Status::ok();
  Tensor& t = ctx.output(out);
  if (t.numel() != static_cast<int64_t>(values.size())) return ctx.error("statistics output has the wrong size");
  bool ok = visit_float(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    for (size_t i = 0; i < values.size(); ++i) t.data<T>()[i] = T(static_cast<compute_t<T>>(values[i]));
  });
  return ok ? Status::ok() : ctx.error("statistics outputs must be float");
}

// y = (x - mean[p]) * scale[p] / sqrt(var[p] + eps) + bias[p], p the parameter index.
Status normalize(KernelContext& ctx, const Layout& l, bool elementwise, const std::vector<double>& mean,
                 const std::vector<double>& var) {
  const std::vector<double> scale = read_all(ctx.input(1)), bias = read_all(ctx.input(2));
  const double eps = ctx.node().attr_float("epsilon", 1e-5f);
  const size_t want = static_cast<size_t>(elementwise ? l.c * l.inner : l.c);
  if (scale.size() != want || bias.size() != want || mean.size() != want || var.size() != want)
    return ctx.error("scale, B, mean and var must each have " + std::to_string(want) + " elements");
  const Tensor& x = ctx.input(0);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    T* out = ctx.output(0).data<T>();
    for (int64_t n = 0; n < l.n; ++n)
      for (int64_t c = 0; c < l.c; ++c)
        for (int64_t i = 0; i < l.inner; ++i) {
          const size_t p = static_cast<size_t>(elementwise ? c * l.inner + i : c);
          const int64_t k = (n * l.c + c) * l.inner + i;
          const double y = (double(in[k]) - mean[p]) / std::sqrt(var[p] + eps) * scale[p] + bias[p];
          out[k] = T(static_cast<compute_t<T>>(y));
        }
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

Status run_training(KernelContext& ctx, const Layout& l) {
  if (per_element(ctx)) return Status(StatusCode::kUnsupported, "BatchNormalization: training with spatial=0");
  std::vector<double> mean, var;
  batch_stats(ctx.input(0), l, mean, var);
  EW_RETURN_IF_ERROR(normalize(ctx, l, false, mean, var));
  const double momentum = ctx.node().attr_float("momentum", 0.9f);
  std::vector<double> running_mean = read_all(ctx.input(3)), running_var = read_all(ctx.input(4));
  if (running_mean.size() != mean.size() || running_var.size() != mean.size())
    return ctx.error("input_mean and input_var must have C elements");
  for (size_t c = 0; c < mean.size(); ++c) {
    running_mean[c] = running_mean[c] * momentum + mean[c] * (1 - momentum);
    running_var[c] = running_var[c] * momentum + var[c] * (1 - momentum);
  }
  EW_RETURN_IF_ERROR(write_stats(ctx, 1, running_mean));
  EW_RETURN_IF_ERROR(write_stats(ctx, 2, running_var));
  EW_RETURN_IF_ERROR(write_stats(ctx, 3, mean));
  return write_stats(ctx, 4, var);
}

Status run_batch_norm(KernelContext& ctx) {
  const Layout l = layout_of(ctx.input(0).shape());
  bool extra = false;
  for (int i = 1; i < ctx.num_outputs(); ++i) extra = extra || ctx.has_output(i);
  if (training_mode(ctx.node(), ctx.opset(), extra)) {
    if (l.c > 0 && l.n * l.inner == 0) return ctx.error("training mode needs a non-empty batch");
    return run_training(ctx, l);
  }
  return normalize(ctx, l, per_element(ctx), read_all(ctx.input(3)), read_all(ctx.input(4)));
}

}  // namespace

EW_REGISTER_OP(.op_type = "BatchNormalization", .infer = infer_batch_norm, .run = run_batch_norm);

}  // namespace ew
