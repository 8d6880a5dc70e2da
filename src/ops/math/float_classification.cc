// IsNaN and IsInf: float input, bool output of the same shape.
#include <cmath>

#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_classify(InferContext& ctx) {
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_float, "a float type"));
  ValueType t = ctx.input_type(0);
  t.dtype = DType::kBool;
  ctx.set_output(0, t);
  return Status::ok();
}

template <typename F>
Status run_classify(KernelContext& ctx, F pred) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    unary_map<T, bool>(x, ctx.output(0), [&](T v) { return pred(static_cast<double>(compute_t<T>(v))); });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

Status run_isnan(KernelContext& ctx) { return run_classify(ctx, [](double v) { return std::isnan(v); }); }

Status run_isinf(KernelContext& ctx) {
  const bool positive = ctx.node().attr_int("detect_positive", 1) != 0;
  const bool negative = ctx.node().attr_int("detect_negative", 1) != 0;
  return run_classify(ctx, [&](double v) { return std::isinf(v) && (v > 0 ? positive : negative); });
}

}  // namespace

EW_REGISTER_OP(.op_type = "IsNaN", .since_version = 9, .infer = infer_classify, .run = run_isnan);
EW_REGISTER_OP(.op_type = "IsInf", .since_version = 10, .infer = infer_classify, .run = run_isinf);

}  // namespace ew
