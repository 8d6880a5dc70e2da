// InstanceNormalization: y = scale[c] * (x - mean) / sqrt(var + eps) + B[c],
// with mean and (biased) variance over the spatial dims of each (n, c).
#include <cmath>

#include "ops/broadcast.h"

namespace ew {
namespace {

Status infer_instance_norm(InferContext& ctx) {
  if (!ctx.has_input(0) || !ctx.has_input(1) || !ctx.has_input(2))
    return ctx.error("needs 3 inputs: input, scale, B");
  for (int i = 0; i < 3; ++i) {
    DType t = ctx.input_type(i).dtype;
    if (t != DType::kUndefined && !is_float(t)) return ctx.error("inputs must be float tensors");
  }
  const ValueType& x = ctx.input_type(0);
  if (x.has_shape && x.dims.size() < 2) return ctx.error("input must have rank >= 2 (N, C, ...)");
  for (int i = 1; i < 3; ++i) {
    const ValueType& p = ctx.input_type(i);
    if (!p.has_shape) continue;
    if (p.dims.size() != 1) return ctx.error("scale and B must be 1-D of size C");
    if (x.has_shape && x.dims[1].known() && p.dims[0].known() && p.dims[0].value != x.dims[1].value)
      return ctx.error("scale and B must have C = " + std::to_string(x.dims[1].value) + " elements");
  }
  ctx.set_output(0, x);
  return Status::ok();
}

template <typename T>
void normalize_instance(const T* in, T* out, int64_t len, double scale, double bias, double eps) {
  double mean = 0, var = 0;
  for (int64_t i = 0; i < len; ++i) mean += double(in[i]);
  mean /= double(len);
  for (int64_t i = 0; i < len; ++i) var += (double(in[i]) - mean) * (double(in[i]) - mean);
  var /= double(len);
  const double k = scale / std::sqrt(var + eps);
  for (int64_t i = 0; i < len; ++i) out[i] = T(static_cast<compute_t<T>>((double(in[i]) - mean) * k + bias));
}

Status run_instance_norm(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& scale = ctx.input(1);
  const Tensor& bias = ctx.input(2);
  if (x.rank() < 2) return ctx.error("input must have rank >= 2 (N, C, ...)");
  const int64_t n = x.dim(0), c = x.dim(1);
  if (scale.numel() != c || bias.numel() != c) return ctx.error("scale and B must have C elements");
  const int64_t len = n * c == 0 ? 0 : x.numel() / (n * c);
  if (len == 0) return Status::ok();
  const double eps = ctx.node().attr_float("epsilon", 1e-5f);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t ch = 0; ch < c; ++ch) {
        const int64_t off = (b * c + ch) * len;
        normalize_instance(x.data<T>() + off, ctx.output(0).data<T>() + off, len, scale.get_double(ch),
                           bias.get_double(ch), eps);
      }
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "InstanceNormalization", .infer = infer_instance_norm, .run = run_instance_norm);

}  // namespace ew
