// Helpers shared by the control-flow ops (If, Loop, Scan): reading a scalar
// condition, copying one slice of a tensor along an axis in or out, and
// describing the declared types of a body's outputs.
#pragma once

#include <cstring>
#include <string>

#include "ops/op.h"

namespace ew {

// The body held in graph attribute `key`, or an error naming the node.
inline Result<const Graph*> body_attr(const Node& node, const std::string& key) {
  const Graph* g = node.attr_graph(key);
  if (!g) return invalid_argument("node " + node.label() + ": missing graph attribute '" + key + "'");
  return g;
}

// A one-element bool (or numeric) tensor read as a truth value.
inline Result<bool> read_condition(const Tensor& t, const std::string& what) {
  if (t.numel() != 1) return invalid_argument(what + " must hold exactly one element, got " + t.describe());
  if (t.dtype() != DType::kBool && !is_integer(t.dtype()))
    return invalid_argument(what + " must be bool, got " + t.describe());
  return t.get_int64(0) != 0;
}

// Geometry of a tensor viewed as [outer, len, inner] around `axis`, in bytes for inner.
struct AxisView {
  int64_t outer = 1, len = 1, inner_bytes = 0;
  static AxisView of(const Shape& shape, int64_t axis, DType dtype) {
    AxisView v;
    v.inner_bytes = static_cast<int64_t>(dtype_size(dtype));
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
      if (d < axis) v.outer *= shape[d];
      else if (d == axis) v.len = shape[d];
      else v.inner_bytes *= shape[d];
    }
    return v;
  }
};

// Shape without dimension `axis`.
inline Shape drop_axis(const Shape& s, int64_t axis) {
  Shape r;
  for (int64_t d = 0; d < static_cast<int64_t>(s.size()); ++d)
    if (d != axis) r.push_back(s[d]);
  return r;
}

// Shape with `len` inserted at `axis`.
inline Shape insert_axis(const Shape& s, int64_t axis, int64_t len) {
  Shape r = s;
  r.insert(r.begin() + axis, len);
  return r;
}

// Copies src[..., index, ...] (index along `axis`) into dst, whose shape is src's without axis.
inline void read_slice(const Tensor& src, int64_t axis, int64_t index, Tensor& dst) {
  AxisView v = AxisView::of(src.shape(), axis, src.dtype());
  const auto* s = static_cast<const uint8_t*>(src.raw());
  auto* d = static_cast<uint8_t*>(dst.raw());
  for (int64_t o = 0; o < v.outer; ++o)
    std::memcpy(d + o * v.inner_bytes, s + (o * v.len + index) * v.inner_bytes, static_cast<size_t>(v.inner_bytes));
}

// Copies `slice` into dst[..., index, ...] along `axis`; slice's shape is dst's without axis.
inline void write_slice(const Tensor& slice, int64_t axis, int64_t index, Tensor& dst) {
  AxisView v = AxisView::of(dst.shape(), axis, dst.dtype());
  const auto* s = static_cast<const uint8_t*>(slice.raw());
  auto* d = static_cast<uint8_t*>(dst.raw());
  for (int64_t o = 0; o < v.outer; ++o)
    std::memcpy(d + (o * v.len + index) * v.inner_bytes, s + o * v.inner_bytes, static_cast<size_t>(v.inner_bytes));
}

// Output i as a tensor of `dtype`/`shape`: the preallocated one when it fits, else a new one.
inline Result<Tensor*> output_of(KernelContext& ctx, int i, DType dtype, const Shape& shape) {
  Tensor& t = ctx.output(i);
  if (t.defined() && t.dtype() == dtype && t.shape() == shape) return &t;
  return ctx.allocate_output(i, dtype, shape);
}

// Declared dtype of body output i (kUndefined when the body does not say).
inline DType declared_dtype(const Graph& body, size_t i) {
  return i < body.outputs.size() ? body.outputs[i].type.dtype : DType::kUndefined;
}

}  // namespace ew
