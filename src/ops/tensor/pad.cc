// Pad: grows (or, with negative pads, crops) each dim. Modes: constant,
// reflect, edge, and wrap (opset 19). Pads and value are attributes before
// opset 11 and inputs from 11; opset 18 adds an `axes` input.
#include <algorithm>
#include <cstring>
#include <optional>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

constexpr int64_t kMaxPad = int64_t{1} << 40;

enum class PadMode { kConstant, kReflect, kEdge, kWrap };

template <typename Ctx>
Result<PadMode> pad_mode(const Ctx& ctx) {
  const std::string m = ctx.node().attr_string("mode", "constant");
  if (m == "constant") return PadMode::kConstant;
  if (m == "reflect") return PadMode::kReflect;
  if (m == "edge") return PadMode::kEdge;
  if (m == "wrap" && ctx.opset() >= 19) return PadMode::kWrap;
  return ctx.error("unsupported pad mode '" + m + "'");
}

// Pads for every dim as [begin_0.., end_0..], or nullopt when unknown until run time.
template <typename Ctx>
Result<std::optional<std::vector<int64_t>>> full_pads(const Ctx& ctx, int64_t rank) {
  EW_ASSIGN_OR_RETURN(IntsArg pads, ints_arg(ctx, "pads", 1, 11));
  IntsArg axes;
  if (ctx.opset() >= 18) {
    EW_ASSIGN_OR_RETURN(axes, ints_arg(ctx, "axes", 3, 18));
  }
  if (pads.absent()) return ctx.error("pads are required");
  if (!pads.known() || axes.state == IntsArg::State::kUnknown) return std::optional<std::vector<int64_t>>{};
  std::vector<int64_t> ax;
  if (axes.absent()) {
    for (int64_t i = 0; i < rank; ++i) ax.push_back(i);
  } else {
    EW_ASSIGN_OR_RETURN(ax, normalize_axes(ctx, axes.values, rank));
  }
  const size_t n = ax.size();
  if (pads.values.size() != 2 * n)
    return ctx.error("pads has " + std::to_string(pads.values.size()) + " values, expected " + std::to_string(2 * n));
  for (int64_t v : pads.values)
    if (v > kMaxPad || v < -kMaxPad) return ctx.error("pad value " + std::to_string(v) + " is out of range");
  std::vector<int64_t> full(2 * rank, 0);
  for (size_t i = 0; i < n; ++i) {
    full[ax[i]] = pads.values[i];
    full[rank + ax[i]] = pads.values[n + i];
  }
  return std::optional<std::vector<int64_t>>(std::move(full));
}

// Input index feeding each output position of one axis; -1 for the constant value.
std::vector<int64_t> axis_map(PadMode mode, int64_t dim, int64_t begin, int64_t out) {
  std::vector<int64_t> map(out);
  for (int64_t o = 0; o < out; ++o) {
    int64_t c = o - begin;
    if (c >= 0 && c < dim) map[o] = c;
    else if (mode == PadMode::kConstant) map[o] = -1;
    else if (mode == PadMode::kEdge) map[o] = std::clamp<int64_t>(c, 0, dim - 1);
    else if (mode == PadMode::kWrap) map[o] = (c % dim + dim) % dim;
    else if (dim == 1) map[o] = 0;
    else {
      const int64_t period = 2 * (dim - 1);
      const int64_t m = (c % period + period) % period;
      map[o] = m < dim ? m : period - m;
    }
  }
  return map;
}

// The fill value's bytes in the data type.
template <typename W>
W fill_word(const KernelContext& ctx, DType dtype) {
  W w{};
  if (ctx.opset() >= 11) {
    if (ctx.has_input(2) && ctx.input(2).numel() > 0) std::memcpy(&w, ctx.input(2).raw(), sizeof(W));
    return w;
  }
  const float value = ctx.node().attr_float("value", 0.0f);
  visit_dtype(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (sizeof(T) == sizeof(W)) {
      T v = static_cast<T>(static_cast<compute_t<T>>(value));
      std::memcpy(&w, &v, sizeof(W));
    }
  });
  return w;
}

template <typename W>
void pad_rows(const KernelContext& ctx, const Tensor& x, Tensor& out, const std::vector<std::vector<int64_t>>& maps) {
  const W fill = fill_word<W>(ctx, x.dtype());
  const int64_t rank = x.rank();
  const auto strides = shape_strides(x.shape());
  const W* src = x.data<W>();
  W* dst = out.data<W>();
  if (rank == 0) {
    dst[0] = src[0];
    return;
  }
  const int64_t inner = out.dim(rank - 1);
  const int64_t rows = inner == 0 ? 0 : out.numel() / inner;
  const std::vector<int64_t>& last = maps[rank - 1];
  std::vector<int64_t> pos(rank, 0);
  for (int64_t r = 0; r < rows; ++r, dst += inner) {
    int64_t base = 0;
    bool constant_row = false;
    for (int64_t d = 0; d + 1 < rank; ++d) {
      const int64_t m = maps[d][pos[d]];
      constant_row = constant_row || m < 0;
      base += m * strides[d];
    }
    for (int64_t j = 0; j < inner; ++j) dst[j] = (constant_row || last[j] < 0) ? fill : src[base + last[j]];
    for (int64_t d = rank - 2; d >= 0 && ++pos[d] == out.dim(d); --d) pos[d] = 0;
  }
}

Status run_pad(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  Tensor& out = ctx.output(0);
  if (!out.defined()) return ctx.error("output shape was not inferred");
  EW_ASSIGN_OR_RETURN(PadMode mode, pad_mode(ctx));
  EW_ASSIGN_OR_RETURN(auto pads, full_pads(ctx, x.rank()));
  if (!pads) return ctx.error("pads are unknown");
  if (ctx.opset() >= 11 && ctx.has_input(2) && ctx.input(2).dtype() != x.dtype())
    return ctx.error("constant_value must have the type of data");
  std::vector<std::vector<int64_t>> maps;
  for (int64_t d = 0; d < x.rank(); ++d) {
    if (x.dim(d) == 0 && out.dim(d) > 0 && mode != PadMode::kConstant)
      return ctx.error("cannot pad an empty dim in this mode");
    maps.push_back(axis_map(mode, x.dim(d), (*pads)[d], out.dim(d)));
  }
  bool ok = visit_word(x.dtype(), [&](auto tag) { pad_rows<typename decltype(tag)::type>(ctx, x, out, maps); });
  return ok ? Status::ok() : ctx.error("unsupported type");
}

Status infer_pad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_RETURN_IF_ERROR(pad_mode(ctx).status());
  if (!in.has_shape) {
    ctx.set_output_dtype_only(0, in.dtype);
    return Status::ok();
  }
  const int64_t rank = static_cast<int64_t>(in.dims.size());
  EW_ASSIGN_OR_RETURN(auto pads, full_pads(ctx, rank));
  if (!pads) {
    ctx.set_output(0, in.dtype, unknown_dims(rank));
    return Status::ok();
  }
  std::vector<Dim> out;
  for (int64_t d = 0; d < rank; ++d) {
    if (!in.dims[d].known()) {
      out.emplace_back();
      continue;
    }
    const int64_t n = in.dims[d].value + (*pads)[d] + (*pads)[rank + d];
    if (n < 0) return ctx.error("pads make dim " + std::to_string(d) + " negative");
    out.emplace_back(n);
  }
  ctx.set_output(0, in.dtype, out);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Pad", .since_version = 2, .infer = infer_pad, .run = run_pad);

}  // namespace ew
