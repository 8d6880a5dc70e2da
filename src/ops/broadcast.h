// NumPy-style multidirectional broadcasting: shape rules (static, on Dims,
// and concrete) and an index walker for kernels.
#pragma once

#include <array>
#include <vector>

#include "core/tensor.h"
#include "ops/op.h"

namespace ew {

// Broadcast result of two static shapes; unknown dims stay unknown unless the other side decides.
Result<std::vector<Dim>> broadcast_dims(const std::vector<Dim>& a, const std::vector<Dim>& b);
Result<Shape> broadcast_shapes(const Shape& a, const Shape& b);

// Sets output 0 to the broadcast of all present inputs' shapes, with `dtype`
// (kUndefined: the dtype of input 0).
Status infer_broadcast(InferContext& ctx, DType dtype = DType::kUndefined);
// Output 0 has the type of input 0.
Status infer_same_as_input(InferContext& ctx);

// Element strides of `in` aligned to an output of rank `rank`; broadcast dims get stride 0.
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out);

// Calls fn(out_index, in_offsets) for every output element in row-major order,
// where in_offsets[k] is the element offset into input k.
template <size_t N, typename Fn>
void broadcast_for_each(const Shape& out, const std::array<const Shape*, N>& ins, Fn&& fn) {
  const size_t rank = out.size();
  std::array<std::vector<int64_t>, N> strides;
  for (size_t k = 0; k < N; ++k) strides[k] = broadcast_strides(*ins[k], out);
  int64_t total = 1;
  for (int64_t d : out) total *= d;
  if (total == 0) return;
  if (rank == 0) {
    std::array<int64_t, N> off{};
    fn(int64_t{0}, off);
    return;
  }
  const int64_t inner = out[rank - 1];
  std::vector<int64_t> idx(rank, 0);
  std::array<int64_t, N> base{};
  for (int64_t o = 0; o < total; o += inner) {
    std::array<int64_t, N> off = base;
    for (int64_t j = 0; j < inner; ++j) {
      fn(o + j, off);
      for (size_t k = 0; k < N; ++k) off[k] += strides[k][rank - 1];
    }
    for (int64_t d = static_cast<int64_t>(rank) - 2; d >= 0; --d) {
      for (size_t k = 0; k < N; ++k) base[k] += strides[k][d];
      if (++idx[d] < out[d]) break;
      for (size_t k = 0; k < N; ++k) base[k] -= strides[k][d] * out[d];
      idx[d] = 0;
    }
  }
}

// Elementwise binary kernel over broadcast inputs: out[i] = f(a, b) computed in compute_t.
template <typename T, typename R, typename F>
void binary_broadcast(const Tensor& a, const Tensor& b, Tensor& out, F&& f) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  R* po = out.data<R>();
  if (a.shape() == b.shape()) {
    for (int64_t i = 0; i < out.numel(); ++i) po[i] = f(pa[i], pb[i]);
    return;
  }
  broadcast_for_each<2>(out.shape(), {&a.shape(), &b.shape()},
                        [&](int64_t o, const std::array<int64_t, 2>& in) { po[o] = f(pa[in[0]], pb[in[1]]); });
}

// Elementwise unary kernel: out[i] = f(in[i]).
template <typename T, typename R, typename F>
void unary_map(const Tensor& in, Tensor& out, F&& f) {
  const T* p = in.data<T>();
  R* o = out.data<R>();
  for (int64_t i = 0; i < in.numel(); ++i) o[i] = f(p[i]);
}

}  // namespace ew
