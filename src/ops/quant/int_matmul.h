// Integer matrix product with int32 accumulators, shared by MatMulInteger and
// QLinearMatMul: numpy matmul semantics (1-D promotion, broadcast batch dims),
// acc[b, m, n] = sum_k (a[m, k] - a_zp[m]) * (b[k, n] - b_zp[n]).
#pragma once

#include <vector>

#include "ops/op.h"

namespace ew::quant {

struct IntMatMulShape {
  int64_t m = 1, k = 1, n = 1;
  Shape out;                                  // output shape
  std::vector<int64_t> a_batch, b_batch;      // per output batch: index of the A / B matrix
};

// Static output dims of matmul(a, b); fails when K disagrees or batch dims do not broadcast.
Status infer_matmul_dims(InferContext& ctx, int a_index, int b_index, DType out);
Result<IntMatMulShape> make_int_matmul_shape(const Shape& a, const Shape& b);

// Zero points for A rows: one per (A matrix, row) (size a_matrices * m); for B
// columns: one per (B matrix, column). Accepts a scalar, a 1-D [m] / [n]
// tensor, or an N-D tensor holding one value per matrix row / column.
Result<std::vector<int32_t>> row_zero_points(const Tensor* zp, int64_t matrices, int64_t rows);

// Number of matrices in a (rank >= 2) operand: the product of its batch dims.
inline int64_t matrix_count(const Shape& s) {
  int64_t n = 1;
  for (size_t i = 0; i + 2 < s.size(); ++i) n *= s[i];
  return n;
}

template <typename A, typename B>
void int_matmul(const IntMatMulShape& s, const A* a, const std::vector<int32_t>& a_zp, const B* b,
                const std::vector<int32_t>& b_zp, int32_t* acc) {
  std::vector<int32_t> bs(static_cast<size_t>(s.k * s.n));
  int64_t cached = -1;
  for (size_t bi = 0; bi < s.a_batch.size(); ++bi) {
    const int64_t am = s.a_batch[bi], bm = s.b_batch[bi];
    if (bm != cached) {  // shifted copy of this B matrix
      const B* pb = b + bm * s.k * s.n;
      for (int64_t kk = 0; kk < s.k; ++kk)
        for (int64_t j = 0; j < s.n; ++j) bs[kk * s.n + j] = static_cast<int32_t>(pb[kk * s.n + j]) - b_zp[bm * s.n + j];
      cached = bm;
    }
    const A* pa = a + am * s.m * s.k;
    int32_t* out = acc + static_cast<int64_t>(bi) * s.m * s.n;
    for (int64_t i = 0; i < s.m; ++i) {
      int32_t* row = out + i * s.n;
      std::fill(row, row + s.n, 0);
      for (int64_t kk = 0; kk < s.k; ++kk) {
        const int32_t av = static_cast<int32_t>(pa[i * s.k + kk]) - a_zp[am * s.m + i];
        if (av == 0) continue;
        const int32_t* brow = bs.data() + kk * s.n;
        for (int64_t j = 0; j < s.n; ++j) row[j] += av * brow[j];
      }
    }
  }
}

}  // namespace ew::quant
