// ConvTranspose: the gradient of Conv with respect to its input. Per group,
// col = W^T * X (one matrix multiply), then col2im scatters col into Y.
// Output extent: stride*(in-1) + output_padding + (k-1)*dilation + 1 - pads,
// or output_shape / auto_pad SAME_* with the pads derived from it.
#include "ops/nn/conv_geometry.h"
#include "ops/nn/gemm_kernel.h"
#include "ops/nn/im2col.h"
#include "ops/nn/node_status.h"

namespace ew {
namespace {

// Resolves pads in g and returns the output extent of axis i for input extent `in` (< 0: unknown).
Result<int64_t> transpose_output_size(WindowGeometry& g, const Node& node, size_t i, int64_t in) {
  const size_t n = g.rank();
  std::vector<int64_t> out_pad = node.attr_ints("output_padding", std::vector<int64_t>(n, 0));
  std::vector<int64_t> out_shape = node.attr_ints("output_shape");
  if (out_pad.size() != n) return invalid_argument("output_padding must have one value per spatial axis");
  if (out_pad[i] < 0 || out_pad[i] > kMaxWindowAttr) return invalid_argument("output_padding is out of range");
  if (!out_shape.empty() && out_shape.size() != n && out_shape.size() != n + 2)
    return invalid_argument("output_shape must have one value per spatial axis");
  if (in < 0) return int64_t{-1};
  const int64_t full = g.strides[i] * (in - 1) + out_pad[i] + g.effective_kernel(i);
  int64_t target = -1;
  if (!out_shape.empty()) target = out_shape[out_shape.size() - n + i];
  else if (g.same_padding()) target = in * g.strides[i];
  if (target < 0 && (!out_shape.empty())) return invalid_argument("output_shape values must be non-negative");
  if (g.auto_pad == "VALID") g.pads[i] = g.pads[i + n] = 0;
  if (target >= 0) {
    if (target > kMaxWindowAttr * 4) return invalid_argument("output_shape value is out of range");
    const int64_t total = full - target;
    const int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);  // floor(total / 2)
    g.pads[i] = g.auto_pad == "SAME_UPPER" ? half : total - half;
    g.pads[i + n] = total - g.pads[i];
    return target;
  }
  const int64_t out = full - g.pads[i] - g.pads[i + n];
  if (out < 0) return invalid_argument("pads exceed the output extent");
  return out;
}

Status infer_conv_transpose(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  const ValueType& w = ctx.input_type(1);
  if (!is_float(x.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype));
  if (w.dtype != x.dtype) return ctx.error("X and W types differ");
  const int64_t group = ctx.node().attr_int("group", 1);
  if (group < 1 || group > kMaxWindowAttr) return ctx.error("group is out of range");
  if (!x.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  if (x.dims.size() < 3) return ctx.error("X must have rank >= 3");
  if (w.has_shape && w.dims.size() != x.dims.size()) return ctx.error("W rank differs from X rank");
  const size_t n = x.dims.size() - 2;
  Dim maps = w.has_shape && w.dims[1].known() ? Dim(w.dims[1].value * group) : Dim();
  std::vector<Dim> out{x.dims[0], maps};
  std::vector<int64_t> kernel = kernel_spatial_shape(ctx.node(), w, n);
  if (kernel.size() != n) {
    if (!kernel.empty()) return ctx.error("kernel_shape length differs from the spatial rank");
    out.resize(x.dims.size());
    ctx.set_output(0, x.dtype, out);
    return Status::ok();
  }
  EW_NODE_ASSIGN_OR_RETURN(ctx, WindowGeometry g, read_window_geometry(ctx.node(), kernel));
  for (size_t i = 0; i < n; ++i) {
    const Dim& d = x.dims[2 + i];
    EW_NODE_ASSIGN_OR_RETURN(ctx, int64_t o, transpose_output_size(g, ctx.node(), i, d.known() ? d.value : -1));
    out.push_back(o >= 0 ? Dim(o) : Dim());
  }
  ctx.set_output(0, x.dtype, out);
  return Status::ok();
}

struct TransposeShape {
  int64_t batch, channels, maps, group;
  Window3 w;  // in = Y's spatial extent, out = X's (the forward conv geometry)
};

Result<TransposeShape> transpose_shape(const KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& wt = ctx.input(1);
  const Node& node = ctx.node();
  if (x.rank() < 3 || x.rank() > 5) return unsupported("ConvTranspose supports 1 to 3 spatial axes, got " + x.describe());
  if (wt.rank() != x.rank()) return invalid_argument("W " + wt.describe() + " does not match X " + x.describe());
  TransposeShape s{x.dim(0), x.dim(1), 0, node.attr_int("group", 1), {}};
  if (s.group < 1 || wt.dim(0) != s.channels || s.channels % s.group != 0)
    return invalid_argument("group " + std::to_string(s.group) + " does not fit X " + x.describe() + " and W " +
                            wt.describe());
  s.maps = wt.dim(1) * s.group;
  Shape kernel(wt.shape().begin() + 2, wt.shape().end());
  if (node.has_attr("kernel_shape") && node.attr_ints("kernel_shape") != kernel)
    return invalid_argument("kernel_shape does not match W " + wt.describe());
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  Shape in(x.shape().begin() + 2, x.shape().end()), out;
  for (size_t i = 0; i < g.rank(); ++i) {
    EW_ASSIGN_OR_RETURN(int64_t o, transpose_output_size(g, node, i, in[i]));
    out.push_back(o);
  }
  if (ctx.has_input(2) && (ctx.input(2).rank() != 1 || ctx.input(2).dim(0) != s.maps))
    return invalid_argument("B must have shape [" + std::to_string(s.maps) + "], got " + ctx.input(2).describe());
  s.w = to_window3(g, out, in);
  return s;
}

template <typename T>
void conv_transpose_typed(KernelContext& ctx, const TransposeShape& s) {
  using C = compute_t<T>;
  const Window3& w = s.w;
  const int64_t P = w.out[0] * w.out[1] * w.out[2];   // input positions
  const int64_t Q = w.in[0] * w.in[1] * w.in[2];      // output positions
  const int64_t Cg = s.channels / s.group, Mg = s.maps / s.group;
  const int64_t R = Mg * w.k[0] * w.k[1] * w.k[2];
  ComputeView<T> x(ctx.input(0).data<T>(), ctx.input(0).numel());
  std::vector<C> wt(static_cast<size_t>(s.channels * R));  // per group: W_g^T [R, Cg]
  for (int64_t g = 0; g < s.group; ++g)
    transpose_to(ctx.input(1).data<T>() + g * Cg * R, Cg, R, R, wt.data() + g * Cg * R);
  std::vector<C> col(static_cast<size_t>(R * P)), y(static_cast<size_t>(s.maps * Q));
  T* out = ctx.output(0).data<T>();
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t m = 0; m < s.maps; ++m) {
      C b = ctx.has_input(2) ? C(ctx.input(2).data<T>()[m]) : C(0);
      std::fill(y.begin() + m * Q, y.begin() + (m + 1) * Q, b);
    }
    for (int64_t g = 0; g < s.group; ++g) {
      std::fill(col.begin(), col.end(), C(0));
      gemm_accumulate<C>(R, P, Cg, wt.data() + g * Cg * R, Cg, x.data() + (n * s.channels + g * Cg) * P, P,
                         col.data(), P);
      col2im_add(col.data(), Mg, w, y.data() + g * Mg * Q);
    }
    convert_to(y.data(), s.maps * Q, out + n * s.maps * Q);
  }
}

Status run_conv_transpose(KernelContext& ctx) {
  EW_NODE_ASSIGN_OR_RETURN(ctx, TransposeShape s, transpose_shape(ctx));
  bool ok = visit_float(ctx.input(0).dtype(),
                        [&](auto tag) { conv_transpose_typed<typename decltype(tag)::type>(ctx, s); });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(ctx.input(0).dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "ConvTranspose", .infer = infer_conv_transpose, .run = run_conv_transpose);

}  // namespace ew
