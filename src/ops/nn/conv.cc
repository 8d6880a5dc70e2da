// Conv: N-D convolution (1-D to 3-D spatial) with groups, strides, dilations,
// pads/auto_pad and optional bias, as im2col + matrix multiply per group.
#include "ops/nn/conv_geometry.h"
#include "ops/nn/gemm_kernel.h"
#include "ops/nn/im2col.h"
#include "ops/nn/node_status.h"

namespace ew {
namespace {

Status infer_conv(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  const ValueType& w = ctx.input_type(1);
  if (!is_float(x.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype));
  if (w.dtype != x.dtype) return ctx.error("X and W types differ");
  if (ctx.node().attr_int("group", 1) < 1) return ctx.error("group must be positive");
  if (!x.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  if (x.dims.size() < 3) return ctx.error("X must have rank >= 3");
  if (w.has_shape && w.dims.size() != x.dims.size()) return ctx.error("W rank differs from X rank");
  const size_t n = x.dims.size() - 2;
  std::vector<Dim> out{x.dims[0], w.has_shape ? w.dims[0] : Dim()};
  std::vector<int64_t> kernel = kernel_spatial_shape(ctx.node(), w, n);
  if (kernel.empty()) {
    out.resize(x.dims.size());
    ctx.set_output(0, x.dtype, out);
    return Status::ok();
  }
  if (kernel.size() != n) return ctx.error("kernel_shape length differs from the spatial rank");
  EW_NODE_ASSIGN_OR_RETURN(ctx, WindowGeometry g, read_window_geometry(ctx.node(), kernel));
  EW_NODE_ASSIGN_OR_RETURN(ctx, std::vector<Dim> dims, window_output_dims(g, std::vector<Dim>(x.dims.begin() + 2, x.dims.end())));
  out.insert(out.end(), dims.begin(), dims.end());
  ctx.set_output(0, x.dtype, out);
  return Status::ok();
}

struct ConvShape {
  int64_t batch, channels, maps, group;
  Window3 w;
};

Result<ConvShape> conv_shape(const KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& wt = ctx.input(1);
  const Node& node = ctx.node();
  if (x.rank() < 3 || x.rank() > 5) return unsupported("Conv supports 1 to 3 spatial axes, got X " + x.describe());
  if (wt.rank() != x.rank()) return invalid_argument("W " + wt.describe() + " does not match X " + x.describe());
  ConvShape s{x.dim(0), x.dim(1), wt.dim(0), node.attr_int("group", 1), {}};
  if (s.group < 1 || s.channels % s.group != 0 || s.maps % s.group != 0 || wt.dim(1) * s.group != s.channels)
    return invalid_argument("group " + std::to_string(s.group) + " does not fit X " + x.describe() + " and W " +
                            wt.describe());
  Shape kernel(wt.shape().begin() + 2, wt.shape().end());
  if (node.has_attr("kernel_shape") && node.attr_ints("kernel_shape") != kernel)
    return invalid_argument("kernel_shape does not match W " + wt.describe());
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  Shape in(x.shape().begin() + 2, x.shape().end()), out;
  for (size_t i = 0; i < g.rank(); ++i) {
    EW_ASSIGN_OR_RETURN(int64_t o, window_output_size(g, i, in[i]));
    out.push_back(o);
  }
  if (ctx.has_input(2) && (ctx.input(2).rank() != 1 || ctx.input(2).dim(0) != s.maps))
    return invalid_argument("B must have shape [" + std::to_string(s.maps) + "], got " + ctx.input(2).describe());
  s.w = to_window3(g, in, out);
  return s;
}

template <typename T>
Status conv_typed(KernelContext& ctx, const ConvShape& s) {
  using C = compute_t<T>;
  const Window3& w = s.w;
  const int64_t plane = w.in[0] * w.in[1] * w.in[2];
  const int64_t P = w.out[0] * w.out[1] * w.out[2];
  const int64_t Cg = s.channels / s.group, Mg = s.maps / s.group;
  const int64_t K = Cg * w.k[0] * w.k[1] * w.k[2];
  const bool pointwise = K == Cg && P == plane && w.s[0] * w.s[1] * w.s[2] == 1 &&
                         w.pb[0] + w.pb[1] + w.pb[2] + w.pe[0] + w.pe[1] + w.pe[2] == 0;
  ComputeView<T> x(ctx.input(0).data<T>(), ctx.input(0).numel());
  ComputeView<T> wt(ctx.input(1).data<T>(), ctx.input(1).numel());
  std::vector<C> col(pointwise ? 0 : static_cast<size_t>(K * P));
  std::vector<C> y(static_cast<size_t>(s.maps * P));
  T* out = ctx.output(0).data<T>();
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t m = 0; m < s.maps; ++m) {
      C b = ctx.has_input(2) ? C(ctx.input(2).data<T>()[m]) : C(0);
      std::fill(y.begin() + m * P, y.begin() + (m + 1) * P, b);
    }
    for (int64_t g = 0; g < s.group; ++g) {
      const C* xg = x.data() + (n * s.channels + g * Cg) * plane;
      const C* B = xg;
      if (!pointwise) {
        im2col(xg, Cg, w, col.data());
        B = col.data();
      }
      gemm_accumulate<C>(Mg, P, K, wt.data() + g * Mg * K, K, B, P, y.data() + g * Mg * P, P);
    }
    convert_to(y.data(), s.maps * P, out + n * s.maps * P);
  }
  return Status::ok();
}

Status run_conv(KernelContext& ctx) {
  EW_NODE_ASSIGN_OR_RETURN(ctx, ConvShape s, conv_shape(ctx));
  Status st = Status::ok();
  bool ok = visit_float(ctx.input(0).dtype(), [&](auto tag) { st = conv_typed<typename decltype(tag)::type>(ctx, s); });
  if (!ok) return ctx.error(std::string("unsupported type ") + dtype_name(ctx.input(0).dtype()));
  return st;
}

}  // namespace

EW_REGISTER_OP(.op_type = "Conv", .infer = infer_conv, .run = run_conv);

}  // namespace ew
