// Reference matrix multiply shared by Gemm, MatMul, Conv, ConvTranspose and
// Einsum: Y[M,N] += A[M,K] * B[K,N], all row-major with leading dimensions.
//
// Cache-blocked: B is packed per (KC x NC) block into panels of kNR columns,
// and a kMR x kNR tile of Y is accumulated in registers over the block's K,
// so each loaded value feeds several multiply-adds. Plain C++ that compilers
// vectorize; the optimized backends are measured against it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/dtype.h"

namespace ew {

namespace gemm_detail {

inline constexpr int64_t kMR = 4;
inline constexpr int64_t kNR = 8;
inline constexpr int64_t kKC = 256;
inline constexpr int64_t kNC = 512;

// Packs B[k0:k0+kc, j0:j0+nc] into panels of kNR columns, zero-padding the last panel.
template <typename T>
void pack_b(const T* B, int64_t ldb, int64_t kc, int64_t nc, T* packed) {
  for (int64_t jp = 0; jp < nc; jp += kNR) {
    const int64_t w = std::min(kNR, nc - jp);
    for (int64_t k = 0; k < kc; ++k) {
      const T* src = B + k * ldb + jp;
      T* dst = packed + jp * kc + k * kNR;
      for (int64_t c = 0; c < w; ++c) dst[c] = src[c];
      for (int64_t c = w; c < kNR; ++c) dst[c] = T(0);
    }
  }
}

// Y[0:MR, 0:w] += A[0:MR, 0:kc] * panel, where panel holds kc rows of kNR values.
template <int MR, typename T>
void micro_tile(const T* A, int64_t lda, const T* panel, int64_t kc, T* Y, int64_t ldy, int64_t w) {
  T acc[MR][kNR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    const T* b = panel + k * kNR;
    for (int r = 0; r < MR; ++r) {
      const T a = A[r * lda + k];
      for (int64_t c = 0; c < kNR; ++c) acc[r][c] += a * b[c];
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int64_t c = 0; c < w; ++c) Y[r * ldy + c] += acc[r][c];
}

template <typename T>
void block_rows(int64_t M, const T* A, int64_t lda, const T* packed, int64_t kc, int64_t nc, T* Y, int64_t ldy) {
  for (int64_t jp = 0; jp < nc; jp += kNR) {
    const int64_t w = std::min(kNR, nc - jp);
    const T* panel = packed + jp * kc;
    int64_t i = 0;
    for (; i + kMR <= M; i += kMR) micro_tile<kMR>(A + i * lda, lda, panel, kc, Y + i * ldy + jp, ldy, w);
    for (; i < M; ++i) micro_tile<1>(A + i * lda, lda, panel, kc, Y + i * ldy + jp, ldy, w);
  }
}

}  // namespace gemm_detail

// Y[M,N] += A[M,K] * B[K,N]. T is a compute type (float, double or an integer type).
template <typename T>
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const T* A, int64_t lda, const T* B, int64_t ldb, T* Y,
                     int64_t ldy) {
  using namespace gemm_detail;
  if (M <= 0 || N <= 0 || K <= 0) return;
  std::vector<T> packed(static_cast<size_t>(std::min(K, kKC) * ((std::min(N, kNC) + kNR - 1) / kNR * kNR)));
  for (int64_t j0 = 0; j0 < N; j0 += kNC) {
    const int64_t nc = std::min(kNC, N - j0);
    for (int64_t k0 = 0; k0 < K; k0 += kKC) {
      const int64_t kc = std::min(kKC, K - k0);
      pack_b(B + k0 * ldb + j0, ldb, kc, nc, packed.data());
      block_rows(M, A + k0, lda, packed.data(), kc, nc, Y + j0, ldy);
    }
  }
}

// Copies an [rows, cols] matrix (row stride ld) transposed into dst [cols, rows], converting to C.
template <typename C, typename T>
void transpose_to(const T* src, int64_t rows, int64_t cols, int64_t ld, C* dst) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = static_cast<C>(src[r * ld + c]);
}

// Converts n values of T into the compute type C.
template <typename C, typename T>
void convert_to(const T* src, int64_t n, C* dst) {
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<C>(src[i]);
}

// A read-only view of n values of T as the compute type: the data itself when
// T is its own compute type, else a converted copy.
template <typename T>
class ComputeView {
 public:
  using C = compute_t<T>;
  ComputeView(const T* data, int64_t n) {
    if constexpr (std::is_same_v<T, C>) {
      ptr_ = data;
    } else {
      copy_.resize(static_cast<size_t>(n));
      convert_to(data, n, copy_.data());
      ptr_ = copy_.data();
    }
  }
  const C* data() const { return ptr_; }

 private:
  std::vector<C> copy_;
  const C* ptr_ = nullptr;
};

// Calls fn(type_tag<T>{}) for the types Gemm and MatMul accept: the float
// types and 32/64-bit integers. Returns false for any other type.
template <typename Fn>
bool visit_matmul_type(DType t, Fn&& fn) {
  switch (t) {
    case DType::kInt32: fn(type_tag<int32_t>{}); return true;
    case DType::kInt64: fn(type_tag<int64_t>{}); return true;
    case DType::kUInt32: fn(type_tag<uint32_t>{}); return true;
    case DType::kUInt64: fn(type_tag<uint64_t>{}); return true;
    default: return visit_float(t, std::forward<Fn>(fn));
  }
}

}  // namespace ew
