// Small checks shared by the gradient-domain ops (float32 only: training runs in fp32).
#pragma once

#include <string>

#include "ops/op.h"

namespace ew {

inline Status require_f32_input(const InferContext& ctx, int i) {
  if (!ctx.has_input(i)) return ctx.error("missing input " + std::to_string(i));
  DType t = ctx.input_type(i).dtype;
  if (t != DType::kUndefined && t != DType::kFloat32)
    return ctx.error("input " + std::to_string(i) + " must be float32, got " + dtype_name(t));
  return Status::ok();
}

inline Status require_f32_input(const KernelContext& ctx, int i) {
  if (!ctx.has_input(i)) return ctx.error("missing input " + std::to_string(i));
  if (ctx.input(i).dtype() != DType::kFloat32)
    return ctx.error("input " + std::to_string(i) + " must be float32, got " + dtype_name(ctx.input(i).dtype()));
  return Status::ok();
}

// Output 0 takes input `like`'s type (dtype float32).
inline Status infer_like_input(InferContext& ctx, int like) {
  if (!ctx.has_input(like)) return ctx.error("missing input " + std::to_string(like));
  ValueType t = ctx.input_type(like);
  t.dtype = DType::kFloat32;
  ctx.set_output(0, t);
  return Status::ok();
}

}  // namespace ew
