// Shared shape of the float-only elementwise activations (Sigmoid, Elu, ...):
// infer checks the dtype and keeps the input type; run maps a scalar function
// computed in compute_t<T> (float for the 16-bit floats).
#pragma once

#include <string>

#include "ops/broadcast.h"

namespace ew {

// Output 0 has the type of input 0, which must be a float type (or not yet known).
inline Status infer_float_unary(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  DType t = ctx.input_type(0).dtype;
  if (t != DType::kUndefined && !is_float(t))
    return ctx.error(std::string("input must be a float tensor, got ") + dtype_name(t));
  return infer_same_as_input(ctx);
}

// out[i] = T(f(C(in[i]))) with C = compute_t<T>; `f` is a generic lambda.
template <typename F>
Status run_float_unary(KernelContext& ctx, F&& f) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(x, ctx.output(0), [&](T v) { return T(f(C(v))); });
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace ew
