// Sin, Cos, Tan, their inverses, and the hyperbolic family: float-only unary maps.
#include <cmath>

#include "ops/math/elementwise.h"

namespace ew {
namespace {

Status run_sin(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::sin(v); }); }
Status run_cos(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::cos(v); }); }
Status run_tan(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::tan(v); }); }
Status run_asin(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::asin(v); }); }
Status run_acos(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::acos(v); }); }
Status run_atan(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::atan(v); }); }
Status run_sinh(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::sinh(v); }); }
Status run_cosh(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::cosh(v); }); }
Status run_asinh(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::asinh(v); }); }
Status run_acosh(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::acosh(v); }); }
Status run_atanh(KernelContext& ctx) { return run_unary_float(ctx, [](auto v) { return std::atanh(v); }); }

}  // namespace

EW_REGISTER_OP(.op_type = "Sin", .since_version = 7, .infer = infer_unary<is_float>, .run = run_sin);
EW_REGISTER_OP(.op_type = "Cos", .since_version = 7, .infer = infer_unary<is_float>, .run = run_cos);
EW_REGISTER_OP(.op_type = "Tan", .since_version = 7, .infer = infer_unary<is_float>, .run = run_tan);
EW_REGISTER_OP(.op_type = "Asin", .since_version = 7, .infer = infer_unary<is_float>, .run = run_asin);
EW_REGISTER_OP(.op_type = "Acos", .since_version = 7, .infer = infer_unary<is_float>, .run = run_acos);
EW_REGISTER_OP(.op_type = "Atan", .since_version = 7, .infer = infer_unary<is_float>, .run = run_atan);
EW_REGISTER_OP(.op_type = "Sinh", .since_version = 9, .infer = infer_unary<is_float>, .run = run_sinh);
EW_REGISTER_OP(.op_type = "Cosh", .since_version = 9, .infer = infer_unary<is_float>, .run = run_cosh);
EW_REGISTER_OP(.op_type = "Asinh", .since_version = 9, .infer = infer_unary<is_float>, .run = run_asinh);
EW_REGISTER_OP(.op_type = "Acosh", .since_version = 9, .infer = infer_unary<is_float>, .run = run_acosh);
EW_REGISTER_OP(.op_type = "Atanh", .since_version = 9, .infer = infer_unary<is_float>, .run = run_atanh);

}  // namespace ew
