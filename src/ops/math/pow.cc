// Pow: base ^ exponent with broadcasting. From opset 12 the exponent may have
// another numeric type than the base; the output has the base's type.
#include <cmath>
#include <type_traits>

#include "ops/math/elementwise.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

bool is_pow_base(DType t) { return is_float(t) || t == DType::kInt32 || t == DType::kInt64; }

template <typename Fn>
bool visit_pow_base(DType t, Fn&& fn) {
  if (t == DType::kInt32) { fn(type_tag<int32_t>{}); return true; }
  if (t == DType::kInt64) { fn(type_tag<int64_t>{}); return true; }
  return visit_float(t, fn);
}

Status infer_pow(InferContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.error("expects 2 inputs");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_pow_base, "float, int32 or int64"));
  if (ctx.opset() < 12) {
    EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_float, "a float type before opset 12"));
    EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  } else {
    EW_RETURN_IF_ERROR(check_input_dtype(ctx, 1, is_numeric, "a numeric type"));
  }
  return infer_broadcast(ctx);
}

template <typename T, typename E>
T pow_scalar(T base, E exp) {
  using C = compute_t<T>;
  using CE = compute_t<E>;
  if constexpr (std::is_integral_v<C> && std::is_integral_v<CE>) {
    if constexpr (std::is_unsigned_v<CE>) {
      // An exponent >= 2^63 behaves like a huge even/odd one; int_pow only needs its parity and size.
      uint64_t e = static_cast<uint64_t>(exp);
      return int_pow<C>(base, e > uint64_t(INT64_MAX) ? int64_t(INT64_MAX - 1 + (e & 1)) : int64_t(e));
    } else {
      return int_pow<C>(base, static_cast<int64_t>(exp));
    }
  } else if constexpr (std::is_integral_v<C>) {
    return float_to_int<C>(std::pow(static_cast<double>(base), static_cast<double>(CE(exp))));
  } else {
    return T(std::pow(C(base), static_cast<C>(CE(exp))));
  }
}

Status run_pow(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  Tensor& out = ctx.output(0);
  bool ok = false;
  visit_pow_base(a.dtype(), [&](auto base_tag) {
      using T = typename decltype(base_tag)::type;
      ok = visit_numeric(b.dtype(), [&](auto exp_tag) {
        using E = typename decltype(exp_tag)::type;
        const T* pa = a.data<T>();
        const E* pb = b.data<E>();
        T* po = out.data<T>();
        broadcast_for_each<2>(out.shape(), {&a.shape(), &b.shape()}, [&](int64_t o, const std::array<int64_t, 2>& in) {
          po[o] = pow_scalar<T, E>(pa[in[0]], pb[in[1]]);
        });
      });
  });
  return ok ? Status::ok()
            : ctx.error(std::string("unsupported types ") + dtype_name(a.dtype()) + " ^ " + dtype_name(b.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "Pow", .since_version = 7, .infer = infer_pow, .run = run_pow);

}  // namespace ew
