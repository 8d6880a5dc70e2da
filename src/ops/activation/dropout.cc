// Dropout at inference: the output is the input and the optional mask is all
// ones. The ratio is an attribute before opset 12 and an optional input after,
// with an optional training_mode input; training with ratio > 0 draws random
// masks, which this reference runtime does not do (it returns kUnsupported).
// The mask has the input's type before opset 10, bool from then on.
#include <cstring>

#include "ops/broadcast.h"

namespace ew {
namespace {

DType mask_dtype(int64_t opset, DType input) { return opset < 10 ? input : DType::kBool; }

// Ratio from the attribute (opset < 12) or input 1 (default 0.5); -1 when input 1 is not a scalar.
double ratio_of(const Node& node, int64_t opset, const Tensor* ratio_input) {
  if (opset < 12) return node.attr_float("ratio", 0.5f);
  if (ratio_input) return ratio_input->numel() == 1 ? ratio_input->get_double(0) : -1.0;
  return 0.5;
}

bool valid_ratio(double ratio) { return ratio >= 0.0 && ratio < 1.0; }  // false for NaN too

Status infer_dropout(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  const ValueType& x = ctx.input_type(0);
  if (x.dtype != DType::kUndefined && !is_float(x.dtype))
    return ctx.error(std::string("input must be a float tensor, got ") + dtype_name(x.dtype));
  if (ctx.opset() >= 12 && ctx.has_input(1)) {
    const ValueType& r = ctx.input_type(1);
    if (r.dtype != DType::kUndefined && !is_float(r.dtype)) return ctx.error("ratio must be a float tensor");
  }
  if (ctx.opset() >= 12 && ctx.has_input(2) && ctx.input_type(2).dtype != DType::kUndefined &&
      ctx.input_type(2).dtype != DType::kBool)
    return ctx.error("training_mode must be a bool tensor");
  const Tensor* rv = ctx.opset() >= 12 && ctx.has_input(1) ? ctx.input_value(1) : nullptr;
  if ((ctx.opset() < 12 || rv) && !valid_ratio(ratio_of(ctx.node(), ctx.opset(), rv)))
    return ctx.error("ratio must be a scalar in [0, 1)");
  ctx.set_output(0, x);
  if (ctx.has_output(1)) ctx.set_output(1, ValueType{mask_dtype(ctx.opset(), x.dtype), x.has_shape, x.dims});
  return Status::ok();
}

// True when opset >= 12 and the training_mode input is present and true.
bool training(const KernelContext& ctx) {
  if (ctx.opset() < 12 || !ctx.has_input(2)) return false;
  const Tensor& t = ctx.input(2);
  return t.numel() > 0 && t.get_int64(0) != 0;
}

Status fill_mask(KernelContext& ctx) {
  Tensor& mask = ctx.output(1);
  if (mask.dtype() == DType::kBool) {
    std::memset(mask.raw(), 1, mask.nbytes());
    return Status::ok();
  }
  bool ok = visit_float(mask.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* m = mask.data<T>();
    for (int64_t i = 0; i < mask.numel(); ++i) m[i] = T(1.0f);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported mask type ") + dtype_name(mask.dtype()));
}

Status run_dropout(KernelContext& ctx) {
  const Tensor* rv = ctx.opset() >= 12 && ctx.has_input(1) ? &ctx.input(1) : nullptr;
  const double ratio = ratio_of(ctx.node(), ctx.opset(), rv);
  if (!valid_ratio(ratio)) return ctx.error("ratio must be a scalar in [0, 1)");
  if (training(ctx) && ratio > 0.0)
    return Status(StatusCode::kUnsupported,
                  ctx.error("training_mode=true with ratio > 0 (random dropout) is not supported").message());
  ctx.set_output(0, ctx.input(0));
  if (ctx.has_output(1)) return fill_mask(ctx);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Dropout", .infer = infer_dropout, .run = run_dropout);

}  // namespace ew
