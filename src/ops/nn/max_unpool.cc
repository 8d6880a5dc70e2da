// MaxUnpool: scatters X into zeros at the flat positions I (as MaxPool's
// Indices output) of the pooled-from shape, (in-1)*stride + kernel - pads per
// axis. With output_shape, that block sits at the origin of a larger output.
#include "ops/nn/conv_geometry.h"
#include "ops/nn/node_status.h"

namespace ew {
namespace {

// Shape MaxPool read from: [N, C, (in-1)*s - pads + k ...]; -1 for unknown dims.
Result<Shape> unpooled_shape(const Node& node, const Shape& x) {
  if (x.size() < 3) return invalid_argument("X must have rank >= 3");
  std::vector<int64_t> kernel = node.attr_ints("kernel_shape");
  if (kernel.size() != x.size() - 2) return invalid_argument("kernel_shape must have one value per spatial axis");
  EW_ASSIGN_OR_RETURN(WindowGeometry g, read_window_geometry(node, kernel));
  Shape out{x[0], x[1]};
  for (size_t i = 0; i < g.rank(); ++i) {
    const int64_t in = x[2 + i];
    if (in < 0) { out.push_back(-1); continue; }
    const int64_t o = (in - 1) * g.strides[i] - g.pads[i] - g.pads[i + g.rank()] + g.kernel[i];
    if (o < 0) return invalid_argument("pads exceed the unpooled extent");
    out.push_back(o);
  }
  return out;
}

Status infer_max_unpool(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  if (!is_float(x.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype));
  if (ctx.input_type(1).dtype != DType::kInt64) return ctx.error("I must be int64");
  if (!x.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  if (ctx.has_input(2)) {
    const Tensor* v = ctx.input_value(2);
    if (!v) { ctx.set_output(0, x.dtype, std::vector<Dim>(x.dims.size())); return Status::ok(); }
    std::vector<int64_t> s = v->to_int64_vector();
    if (s.size() != x.dims.size()) return ctx.error("output_shape must have one value per axis of X");
    ctx.set_output(0, x.dtype, s);
    return Status::ok();
  }
  Shape in;
  for (const Dim& d : x.dims) in.push_back(d.known() ? d.value : -1);
  EW_NODE_ASSIGN_OR_RETURN(ctx, Shape out, unpooled_shape(ctx.node(), in));
  std::vector<Dim> dims{x.dims[0], x.dims[1]};
  for (size_t a = 2; a < out.size(); ++a) dims.push_back(out[a] >= 0 ? Dim(out[a]) : Dim());
  ctx.set_output(0, x.dtype, dims);
  return Status::ok();
}

template <typename T>
Status unpool(KernelContext& ctx, const Shape& inner) {
  const Tensor& x = ctx.input(0);
  const Tensor& idx = ctx.input(1);
  Tensor& y = ctx.output(0);
  const int64_t inner_numel = *shape_numel(inner);
  const std::vector<int64_t> inner_strides = shape_strides(inner), out_strides = shape_strides(y.shape());
  T* out = y.data<T>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t flat = idx.get_int64(i);
    if (flat < 0 || flat >= inner_numel) return ctx.error("index " + std::to_string(flat) + " is out of range");
    int64_t off = 0;
    for (size_t a = 0; a < inner.size(); ++a) {
      off += flat / inner_strides[a] * out_strides[a];
      flat %= inner_strides[a];
    }
    out[off] = x.data<T>()[i];
  }
  return Status::ok();
}

Status run_max_unpool(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_NODE_ASSIGN_OR_RETURN(ctx, Shape inner, unpooled_shape(ctx.node(), x.shape()));
  if (ctx.input(1).shape() != x.shape()) return ctx.error("I must have the shape of X");
  const Shape& out = ctx.output(0).shape();
  if (out.size() != inner.size()) return ctx.error("output_shape rank differs from X");
  for (size_t a = 0; a < out.size(); ++a)
    if (out[a] < inner[a]) return ctx.error("output_shape is smaller than the unpooled shape " + shape_to_string(inner));
  Status st = Status::ok();
  bool ok = visit_float(x.dtype(), [&](auto tag) { st = unpool<typename decltype(tag)::type>(ctx, inner); });
  if (!ok) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
  return st;
}

}  // namespace

EW_REGISTER_OP(.op_type = "MaxUnpool", .since_version = 9, .infer = infer_max_unpool, .run = run_max_unpool);

}  // namespace ew
