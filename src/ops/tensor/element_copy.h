// Data movement helpers for the tensor ops. Moving elements never needs their
// arithmetic type, only their width, so kernels dispatch on the element size
// (1, 2, 4 or 8 bytes) and copy words: one instantiation serves all dtypes.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/tensor.h"

namespace ew {

// Calls fn(type_tag<W>{}) with an unsigned integer W as wide as an element of t.
template <typename Fn>
bool visit_word(DType t, Fn&& fn) {
  switch (dtype_size(t)) {
    case 1: fn(type_tag<uint8_t>{}); return true;
    case 2: fn(type_tag<uint16_t>{}); return true;
    case 4: fn(type_tag<uint32_t>{}); return true;
    case 8: fn(type_tag<uint64_t>{}); return true;
    default: return false;
  }
}

// dst[i] = src[base + sum_k idx_k * strides[k]] for every index of `shape` in
// row-major order. Strides may be negative (reversed slices) or 0 (broadcast).
template <typename W>
void gather_strided(const W* src, W* dst, const Shape& shape, const std::vector<int64_t>& strides, int64_t base) {
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  if (total == 0) return;
  const size_t rank = shape.size();
  if (rank == 0) {
    dst[0] = src[base];
    return;
  }
  const int64_t inner = shape[rank - 1];
  const int64_t step = strides[rank - 1];
  std::vector<int64_t> idx(rank, 0);
  int64_t row = base;
  for (int64_t o = 0; o < total; o += inner) {
    const W* s = src + row;
    for (int64_t j = 0; j < inner; ++j) dst[o + j] = s[j * step];
    for (int64_t d = static_cast<int64_t>(rank) - 2; d >= 0; --d) {
      row += strides[d];
      if (++idx[d] < shape[d]) break;
      row -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

// Typed entry point: copies the strided view of `in` described by (shape, strides, base) into `out`.
inline bool copy_strided(const Tensor& in, Tensor& out, const std::vector<int64_t>& strides, int64_t base) {
  return visit_word(in.dtype(), [&](auto tag) {
    using W = typename decltype(tag)::type;
    gather_strided<W>(in.data<W>(), out.data<W>(), out.shape(), strides, base);
  });
}

// Product of dims [begin, end) of a concrete shape.
inline int64_t dims_product(const Shape& s, size_t begin, size_t end) {
  int64_t n = 1;
  for (size_t i = begin; i < end && i < s.size(); ++i) n *= s[i];
  return n;
}

// For GatherElements / ScatterElements: the data offset of every entry of an
// index tensor (shape `ind`, values `idx`), i.e. its own coordinates with the
// `axis` coordinate replaced by the (negative-normalized) index value. Returns
// the position of the first out-of-range index, or -1. Requires ind dims <= data dims.
inline int64_t axis_offsets(const Shape& data, const Shape& ind, const std::vector<int64_t>& idx, int64_t axis,
                            std::vector<int64_t>& offsets) {
  const int64_t rank = static_cast<int64_t>(data.size());
  const int64_t dim = data[axis];
  const auto strides = shape_strides(data);
  std::vector<int64_t> pos(rank, 0);
  offsets.resize(idx.size());
  for (size_t k = 0; k < idx.size(); ++k) {
    int64_t i = idx[k];
    if (i < -dim || i >= dim) return static_cast<int64_t>(k);
    if (i < 0) i += dim;
    int64_t off = 0;
    for (int64_t d = 0; d < rank; ++d) off += (d == axis ? i : pos[d]) * strides[d];
    offsets[k] = off;
    for (int64_t d = rank - 1; d >= 0 && ++pos[d] == ind[d]; --d) pos[d] = 0;
  }
  return -1;
}

}  // namespace ew
