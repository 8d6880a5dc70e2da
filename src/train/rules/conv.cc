// Gradients of Conv and ConvTranspose.
//
// Conv(X, W, B): dX = ConvGradInput(dY, W, X), dW = ConvGradFilter(dY, X, W)
// (src/ops/grad/conv_grad_*.cc, carrying the forward's window attributes),
// dB = ReduceSum(dY) over N and the spatial axes, or ConvGradFilter's second
// output when dW is wanted too (one pass over dY for both).
//
// ConvTranspose(X, W, B) is the adjoint of a Conv with filter W that maps
// Y-shaped tensors to X-shaped ones, with pads resolved explicitly (from
// auto_pad/output_shape/output_padding as ConvTranspose resolves them; that
// needs static spatial extents): dX = Conv(dY, W), dW = ConvGradFilter(X, dY, W)
// (the forward Conv's "dY" is X and its input dY), dB as above.
#include "ops/nn/conv_geometry.h"
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

using Attrs = std::map<std::string, Attribute>;

Attrs window_attributes(const Node& n) {
  Attrs a;
  for (const char* k : {"kernel_shape", "strides", "pads", "dilations", "auto_pad", "group"})
    if (n.has_attr(k)) a[k] = n.attributes.at(k);
  return a;
}

// ReduceSum of dY over every axis but 1, keepdims 0: the bias gradient.
Result<std::string> bias_gradient(GradientContext& c) {
  const int64_t rank = c.rank(c.in(0));
  if (rank < 3) return c.error("the bias gradient needs X of known rank");
  std::vector<int64_t> axes{0};
  for (int64_t a = 2; a < rank; ++a) axes.push_back(a);
  Attrs attrs{{"keepdims", Attribute::make_int(0)}};
  if (c.opset < 13) {
    attrs["axes"] = Attribute::make_ints(axes);
    return c.g.add1("ReduceSum", {c.dy()}, attrs);
  }
  Tensor t = Tensor::from_vector<int64_t>({static_cast<int64_t>(axes.size())}, axes).value();
  return c.g.add1("ReduceSum", {c.dy(), c.g.constant("bias_axes", std::move(t))}, attrs);
}

Result<std::vector<std::string>> conv_gradient(GradientContext& c) {
  std::vector<std::string> g(c.node.inputs.size());
  const Attrs attrs = window_attributes(c.node);
  if (c.want(0)) g[0] = c.g.grad_op("ConvGradInput", {c.dy(), c.in(1), c.in(0)}, attrs);
  if (c.want(1) && c.want(2)) {  // one pass over dY for both: ConvGradFilter's bias output
    std::vector<std::string> dw_db = c.g.add("ConvGradFilter", {c.dy(), c.in(0), c.in(1)}, 2, attrs, kGradDomain);
    g[1] = dw_db[0];
    g[2] = dw_db[1];
    return g;
  }
  if (c.want(1)) g[1] = c.g.grad_op("ConvGradFilter", {c.dy(), c.in(0), c.in(1)}, attrs);
  if (c.want(2)) {
    EW_ASSIGN_OR_RETURN(g[2], bias_gradient(c));
  }
  return g;
}

// Static dims of a value, or empty when any is unknown.
std::vector<int64_t> static_dims(const GradientContext& c, const std::string& v) {
  const ValueType* t = c.g.type(v);
  if (!t || !t->fully_known()) return {};
  return t->concrete_shape();
}

// ConvTranspose's pads made explicit (the forward Conv's pads), as ConvTranspose resolves them.
Result<std::vector<int64_t>> transpose_pads(GradientContext& c, const std::vector<int64_t>& x,
                                            const std::vector<int64_t>& w) {
  const Node& n = c.node;
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  const bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
  const std::vector<int64_t> out_shape = n.attr_ints("output_shape");
  if (!same && out_shape.empty()) {
    if (auto_pad == "VALID") return std::vector<int64_t>();  // zero pads: the default
    return n.attr_ints("pads");
  }
  if (x.size() < 3 || w.size() != x.size()) return c.error("needs X and W of static shape to resolve its padding");
  const size_t rank = x.size() - 2;
  std::vector<int64_t> kernel(w.begin() + 2, w.end());
  EW_ASSIGN_OR_RETURN(WindowGeometry geo, read_window_geometry(n, kernel));
  std::vector<int64_t> out_pad = n.attr_ints("output_padding", std::vector<int64_t>(rank, 0));
  if (out_pad.size() != rank || (!out_shape.empty() && out_shape.size() != rank && out_shape.size() != rank + 2))
    return c.error("output_padding/output_shape do not match the spatial rank");
  std::vector<int64_t> pads(2 * rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t in = x[2 + i], full = geo.strides[i] * (in - 1) + out_pad[i] + geo.effective_kernel(i);
    const int64_t target = out_shape.empty() ? in * geo.strides[i] : out_shape[out_shape.size() - rank + i];
    const int64_t total = full - target, half = total >= 0 ? total / 2 : -((-total + 1) / 2);
    pads[i] = auto_pad == "SAME_UPPER" ? half : total - half;
    pads[i + rank] = total - pads[i];
    if (pads[i] < 0 || pads[i + rank] < 0)
      return c.error("an output larger than the full transposed extent is not differentiated");
  }
  return pads;
}

Result<std::vector<std::string>> conv_transpose_gradient(GradientContext& c) {
  EW_ASSIGN_OR_RETURN(std::vector<int64_t> pads, transpose_pads(c, static_dims(c, c.in(0)), static_dims(c, c.in(1))));
  Attrs attrs;
  for (const char* k : {"kernel_shape", "strides", "dilations", "group"})
    if (c.node.has_attr(k)) attrs[k] = c.node.attributes.at(k);
  if (!pads.empty()) attrs["pads"] = Attribute::make_ints(pads);
  std::vector<std::string> g(c.node.inputs.size());
  if (c.want(0)) g[0] = c.g.add1("Conv", {c.dy(), c.in(1)}, attrs);
  if (c.want(1)) g[1] = c.g.grad_op("ConvGradFilter", {c.in(0), c.dy(), c.in(1)}, attrs);
  if (c.want(2)) {
    EW_ASSIGN_OR_RETURN(g[2], bias_gradient(c));
  }
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "Conv", .fn = conv_gradient);
EW_REGISTER_GRADIENT(.op_type = "ConvTranspose", .fn = conv_transpose_gradient);

}  // namespace ew::train
