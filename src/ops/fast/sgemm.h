// sgemm: a packed, register-blocked fp32 matrix multiply for the fast kernels.
//
//   C[M,N] = alpha * A[M,K] * B[K,N]  (+ C when `accumulate`)
//
// B is packed once into panels of kSgemmNR columns (K rows each, zero-padded),
// so a constant weight is packed at prepare and a dynamic one into scratch
// allocated at prepare. A is addressed through a row and a column stride
// (transposed A needs no copy) and packed per 72 x 256 block into a 72 KiB
// stack buffer of the task, so nothing here allocates. The microkernel is
// chosen at run time: AVX2/FMA (6x16 tile) where the CPU has it, else
// portable C++. (AVX-512 would not add throughput on Zen 4, whose 512-bit FMAs
// run as two 256-bit halves.)
//
// Work is split into (batch, row block, column block) tasks run on a
// pthreadpool; a null pool runs them on the calling thread. Results do not
// depend on the thread count: every element sums over K in the same order.
#pragma once

#include <cstdint>

#include <pthreadpool.h>

namespace ew::fast {

inline constexpr int64_t kSgemmNR = 16;

// Floats needed to hold B[K,N] packed.
inline int64_t packed_b_size(int64_t K, int64_t N) { return (N + kSgemmNR - 1) / kSgemmNR * kSgemmNR * K; }

// Packs B (element (k, n) at B[k * rs + n * cs]) into `dst` of packed_b_size(K, N) floats.
void pack_b(const float* B, int64_t K, int64_t N, int64_t rs, int64_t cs, float* dst);

// Packs `count` matrices B + i * stride (same K, N, rs, cs) one after another into dst,
// i * packed_b_size(K, N) floats apart, in parallel on `pool` (null: inline).
void pack_b_batched(const float* B, int64_t count, int64_t stride, int64_t K, int64_t N, int64_t rs, int64_t cs,
                    float* dst, pthreadpool_t pool);

// One matrix product's geometry. A's element (m, k) is A[m * rsa + k * csa];
// C is row-major with leading dimension ldc.
struct SgemmShape {
  int64_t M = 0, N = 0, K = 0;
  int64_t rsa = 0, csa = 1;
  int64_t ldc = 0;
  float alpha = 1.0f;
  bool accumulate = false;  // add to C instead of overwriting it
  // Epilogue, applied once as each element is last written (not when K == 0):
  // C = clamp(C + row_bias[m], clamp_min, clamp_max) — a Conv's bias and Relu/Clip.
  const float* row_bias = nullptr;
  bool clamp = false;
  float clamp_min = 0.0f, clamp_max = 0.0f;
};

// Runs `count` products of the same shape; product i reads A + a_off[i],
// packed B at packed_b + b_off[i], and writes C + c_off[i]. Null offset arrays mean 0.
void sgemm_batched(const SgemmShape& s, int64_t count, const float* A, const int64_t* a_off, const float* packed_b,
                   const int64_t* b_off, float* C, const int64_t* c_off, pthreadpool_t pool);

inline void sgemm(const SgemmShape& s, const float* A, const float* packed_b, float* C, pthreadpool_t pool) {
  sgemm_batched(s, 1, A, nullptr, packed_b, nullptr, C, nullptr, pool);
}

// Which microkernel sgemm uses on this CPU ("avx2_fma_6x16" or "portable_6x16").
const char* sgemm_kernel_name();

}  // namespace ew::fast
