// LRN: local response normalization across channels (dim 1):
//   y = x / (bias + alpha / size * sum_{c' in window(c)} x[c']^2) ^ beta,
// window(c) = [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to [0, C).
#include <algorithm>
#include <cmath>

#include "ops/broadcast.h"

namespace ew {
namespace {

Status infer_lrn(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  const ValueType& x = ctx.input_type(0);
  if (x.dtype != DType::kUndefined && !is_float(x.dtype)) return ctx.error("input must be a float tensor");
  if (x.has_shape && x.dims.size() < 2) return ctx.error("input must have rank >= 2 (N, C, ...)");
  if (ctx.node().attr_int("size", 0) <= 0) return ctx.error("attribute 'size' is required and must be positive");
  ctx.set_output(0, x);
  return Status::ok();
}

Status run_lrn(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const int64_t size = ctx.node().attr_int("size", 0);
  if (size <= 0) return ctx.error("attribute 'size' is required and must be positive");
  if (x.rank() < 2) return ctx.error("input must have rank >= 2 (N, C, ...)");
  const double alpha = ctx.node().attr_float("alpha", 1e-4f), beta = ctx.node().attr_float("beta", 0.75f);
  const double bias = ctx.node().attr_float("bias", 1.0f);
  const int64_t n = x.dim(0), c = x.dim(1);
  const int64_t inner = n * c == 0 ? 0 : x.numel() / (n * c);
  const int64_t before = (size - 1) / 2, after = size - 1 - before;
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    T* out = ctx.output(0).data<T>();
    for (int64_t b = 0; b < n; ++b)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t i = 0; i < inner; ++i) {
          double sum = 0;
          const int64_t lo = std::max<int64_t>(0, ch - before), hi = std::min<int64_t>(c - 1, ch + after);
          for (int64_t k = lo; k <= hi; ++k) {
            const double v = double(in[(b * c + k) * inner + i]);
            sum += v * v;
          }
          const int64_t at = (b * c + ch) * inner + i;
          out[at] = T(static_cast<compute_t<T>>(double(in[at]) / std::pow(bias + alpha / double(size) * sum, beta)));
        }
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "LRN", .infer = infer_lrn, .run = run_lrn);

}  // namespace ew
