// Helpers shared by the math and logic groups' elementwise ops: dtype checks
// for infer, and typed unary kernels whose scalar function is a lambda.
#pragma once

#include <string>

#include "ops/broadcast.h"

namespace ew {

using DTypePredicate = bool (*)(DType);

inline bool is_numeric(DType t) { return t != DType::kBool && t != DType::kUndefined; }
inline bool is_bool(DType t) { return t == DType::kBool; }
inline bool is_any(DType t) { return t != DType::kUndefined; }
inline bool is_signed_numeric(DType t) { return is_float(t) || is_signed_int(t); }

// Checks input i's dtype (an unknown dtype passes: it is checked again at run time).
inline Status check_input_dtype(const InferContext& ctx, int i, DTypePredicate ok, const char* expected) {
  if (!ctx.has_input(i)) return ctx.error("missing input " + std::to_string(i));
  DType t = ctx.input_type(i).dtype;
  if (t == DType::kUndefined || ok(t)) return Status::ok();
  return ctx.error("input " + std::to_string(i) + " has type " + dtype_name(t) + ", expected " + expected);
}

// Checks that every present input has the dtype of input 0.
inline Status check_same_dtypes(const InferContext& ctx) {
  DType first = ctx.input_type(0).dtype;
  for (int i = 1; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    DType t = ctx.input_type(i).dtype;
    if (t != first && t != DType::kUndefined && first != DType::kUndefined)
      return ctx.error(std::string("input types differ: ") + dtype_name(first) + " and " + dtype_name(t));
  }
  return Status::ok();
}

// Output 0 = input 0's type, after checking input 0's dtype.
template <DTypePredicate Ok>
Status infer_unary(InferContext& ctx) {
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, Ok, "another type"));
  return infer_same_as_input(ctx);
}

inline Status unsupported_dtype(const KernelContext& ctx, DType t) {
  return ctx.error(std::string("unsupported type ") + dtype_name(t));
}

// out = T(f(C(x))) over float inputs, with C the compute type (float for 16-bit floats).
template <typename F>
Status run_unary_float(KernelContext& ctx, F f) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(x, ctx.output(0), [&](T v) { return T(f(C(v))); });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

// out = f(x) over numeric inputs; f receives type_tag<T> and the value in compute type.
template <typename F>
Status run_unary_numeric(KernelContext& ctx, F f) {
  const Tensor& x = ctx.input(0);
  bool ok = visit_numeric(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    unary_map<T, T>(x, ctx.output(0), [&](T v) { return T(f(tag, C(v))); });
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, x.dtype());
}

}  // namespace ew
