// com.microsoft QLinearConcat: concatenates quantized tensors along `axis`,
// requantizing each input to the output's scale and zero point (a copy when
// they already agree), as ONNX Runtime: y = saturate(round(sx * (x - zx) / sy) + zy).
// Inputs: Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per tensor.
#include <array>
#include <cstring>

#include "ops/quant/quant_util.h"

namespace ew {
namespace {

int num_tensors(int num_inputs) { return (num_inputs - 2) / 3; }

Status infer_qlinear_concat(InferContext& ctx) {
  if (ctx.num_inputs() < 5 || (ctx.num_inputs() - 2) % 3 != 0)
    return ctx.error("expects Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples");
  const DType t = ctx.input_type(1).dtype;
  if (t != DType::kUndefined && !quant::is_quant8(t)) return ctx.error("Y_zero_point must be uint8 or int8");
  EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, 0, "Y_scale"));
  std::vector<Dim> dims;
  int64_t rank = -1, axis = 0;
  for (int k = 0; k < num_tensors(ctx.num_inputs()); ++k) {
    const int i = 2 + 3 * k;
    if (!ctx.has_input(i) || !ctx.has_input(i + 1)) return ctx.error("every X and X_scale is required");
    EW_RETURN_IF_ERROR(quant::check_dtype(ctx, i, t, "X"));
    EW_RETURN_IF_ERROR(quant::check_dtype(ctx, i + 2, t, "X_zero_point"));
    EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, i + 1, "X_scale"));
    const ValueType& x = ctx.input_type(i);
    if (!x.has_shape) {
      ctx.set_output_dtype_only(0, t);
      return Status::ok();
    }
    if (rank < 0) {
      rank = static_cast<int64_t>(x.dims.size());
      auto ax = normalize_axis(ctx.node().attr_int("axis", 0), rank);
      if (!ax) return ctx.error("axis out of range");
      axis = *ax;
      dims = x.dims;
      continue;
    }
    if (static_cast<int64_t>(x.dims.size()) != rank) return ctx.error("inputs have different ranks");
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) {
        dims[d] = dims[d].known() && x.dims[d].known() ? Dim(dims[d].value + x.dims[d].value) : Dim();
      } else if (dims[d].known() && x.dims[d].known() && dims[d].value != x.dims[d].value) {
        return ctx.error("input shapes differ outside the concat axis");
      } else if (!dims[d].known()) {
        dims[d] = x.dims[d];
      }
    }
  }
  ctx.set_output(0, t, dims);
  return Status::ok();
}

template <typename T>
void append(const Tensor& x, float sx, int32_t zx, float sy, int32_t zy, int64_t outer, int64_t out_pitch, T* out) {
  const int64_t pitch = outer == 0 ? 0 : x.numel() / outer;
  const T* px = x.data<T>();
  if (sx == sy && zx == zy) {
    for (int64_t o = 0; o < outer; ++o) std::memcpy(out + o * out_pitch, px + o * pitch, pitch * sizeof(T));
    return;
  }
  std::array<T, 256> table;
  for (int i = 0; i < 256; ++i) {
    const T v = static_cast<T>(i);
    table[static_cast<uint8_t>(v)] = quant::quantize_value<T>(sx * static_cast<float>(v - zx) / sy, zy);
  }
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < pitch; ++i) out[o * out_pitch + i] = table[static_cast<uint8_t>(px[o * pitch + i])];
}

Status run_qlinear_concat(KernelContext& ctx) {
  Tensor& y = ctx.output(0);
  auto ax = normalize_axis(ctx.node().attr_int("axis", 0), y.rank());
  if (!ax) return ctx.error("axis out of range");
  int64_t outer = 1;
  for (int64_t d = 0; d < *ax; ++d) outer *= y.dim(d);
  const int64_t out_pitch = outer == 0 ? 0 : y.numel() / outer;
  const float sy = quant::scale_at(ctx.input(0), 0);
  const int32_t zy = quant::zero_point_at(ctx.has_input(1) ? &ctx.input(1) : nullptr, 0);
  int64_t offset = 0;
  for (int k = 0; k < num_tensors(ctx.num_inputs()); ++k) {
    const int i = 2 + 3 * k;
    const Tensor& x = ctx.input(i);
    if (x.dtype() != y.dtype()) return ctx.error("input types differ from the output type");
    const float sx = quant::scale_at(ctx.input(i + 1), 0);
    const int32_t zx = quant::zero_point_at(ctx.has_input(i + 2) ? &ctx.input(i + 2) : nullptr, 0);
    quant::visit_quant8(y.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      append<T>(x, sx, zx, sy, zy, outer, out_pitch, y.data<T>() + offset);
    });
    offset += outer == 0 ? 0 : x.numel() / outer;
  }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearConcat", .domain = "com.microsoft", .since_version = 1,
               .infer = infer_qlinear_concat, .run = run_qlinear_concat);

}  // namespace ew
