// Cast (to = attribute) and CastLike (to = input 1's type) between every
// numeric type and bool. Float -> integer truncates toward zero and saturates
// at the target range (NaN -> 0); integer -> integer wraps; x -> bool is x != 0.
// Strings are unsupported. The opset-19 `saturate` attribute only concerns fp8.
#include <type_traits>

#include "ops/math/elementwise.h"
#include "ops/math/scalar_math.h"

namespace ew {
namespace {

template <typename To, typename From>
To cast_value(From v) {
  using CF = compute_t<From>;  // float for the 16-bit floats
  using CT = compute_t<To>;
  CF c = static_cast<CF>(v);
  if constexpr (std::is_same_v<To, bool>) return c != CF(0);
  else if constexpr (std::is_same_v<From, bool>) return To(CT(c ? 1 : 0));
  else if constexpr (std::is_integral_v<CT> && std::is_floating_point_v<CF>) return float_to_int<CT>(static_cast<double>(c));
  else return To(static_cast<CT>(c));
}

Status cast_tensor(KernelContext& ctx, const Tensor& in, Tensor& out) {
  bool ok = visit_dtype(in.dtype(), [&](auto from_tag) {
    using From = typename decltype(from_tag)::type;
    visit_dtype(out.dtype(), [&](auto to_tag) {
      using To = typename decltype(to_tag)::type;
      unary_map<From, To>(in, out, [](From v) { return cast_value<To, From>(v); });
    });
  });
  return ok && visit_dtype(out.dtype(), [](auto) {}) ? Status::ok() : unsupported_dtype(ctx, in.dtype());
}

Status set_cast_output(InferContext& ctx, DType to) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  ValueType t = ctx.input_type(0);
  t.dtype = to;
  ctx.set_output(0, t);
  return Status::ok();
}

Result<DType> cast_target(const Node& node) {
  if (!node.has_attr("to")) return invalid_argument("node " + node.label() + ": attribute 'to' is required");
  int64_t to = node.attr_int("to", 0);
  if (to < 0 || to > 1000) return invalid_argument("node " + node.label() + ": invalid 'to' " + std::to_string(to));
  auto dtype = dtype_from_onnx(static_cast<int>(to));
  if (!dtype.is_ok()) return dtype.status().with_context("node " + node.label() + ": ");
  return *dtype;
}

Status infer_cast(InferContext& ctx) {
  EW_ASSIGN_OR_RETURN(DType to, cast_target(ctx.node()));
  return set_cast_output(ctx, to);
}

Status run_cast(KernelContext& ctx) { return cast_tensor(ctx, ctx.input(0), ctx.output(0)); }

Status infer_cast_like(InferContext& ctx) {
  if (!ctx.has_input(1)) return ctx.error("expects 2 inputs (input, target_type)");
  return set_cast_output(ctx, ctx.input_type(1).dtype);
}

}  // namespace

EW_REGISTER_OP(.op_type = "Cast", .since_version = 6, .infer = infer_cast, .run = run_cast);
EW_REGISTER_OP(.op_type = "CastLike", .since_version = 15, .infer = infer_cast_like, .run = run_cast);

}  // namespace ew
