// BitShift: unsigned x << y or x >> y (attribute direction), with broadcasting.
// Shifting by the bit width or more gives 0 (C++ leaves it undefined).
#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status infer_bit_shift(InferContext& ctx) {
  if (ctx.num_inputs() != 2) return ctx.error("expects 2 inputs");
  EW_RETURN_IF_ERROR(check_input_dtype(ctx, 0, is_unsigned_int, "an unsigned integer type"));
  EW_RETURN_IF_ERROR(check_same_dtypes(ctx));
  std::string dir = ctx.node().attr_string("direction", "");
  if (dir != "LEFT" && dir != "RIGHT") return ctx.error("direction must be LEFT or RIGHT, got '" + dir + "'");
  return infer_broadcast(ctx);
}

template <typename Fn>
bool visit_unsigned(DType t, Fn&& fn) {
  return is_unsigned_int(t) && visit_dtype(t, fn);
}

Status run_bit_shift(KernelContext& ctx) {
  const Tensor& a = ctx.input(0);
  const Tensor& b = ctx.input(1);
  if (a.dtype() != b.dtype()) return ctx.error("input types differ");
  const bool left = ctx.node().attr_string("direction", "") == "LEFT";
  bool ok = visit_unsigned(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
      constexpr T bits = static_cast<T>(sizeof(T) * 8);
      binary_broadcast<T, T>(a, b, ctx.output(0), [&](T x, T s) -> T {
        if (s >= bits) return 0;
        return static_cast<T>(left ? x << s : x >> s);
      });
    }
  });
  return ok ? Status::ok() : unsupported_dtype(ctx, a.dtype());
}

}  // namespace

EW_REGISTER_OP(.op_type = "BitShift", .since_version = 11, .infer = infer_bit_shift, .run = run_bit_shift);

}  // namespace ew
