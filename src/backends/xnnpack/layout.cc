#include "backends/xnnpack/layout.h"

#include <algorithm>

namespace ew {

namespace {

constexpr int64_t kBlock = 16;

template <typename T>
struct TransposeJob {
  const T* in;
  T* out;
  int64_t rows, cols;
};

// One batch's column block [c0, c0 + kBlock) of every row.
template <typename T>
void transpose_block(const TransposeJob<T>* job, size_t batch, size_t block) {
  const int64_t rows = job->rows, cols = job->cols;
  const T* src = job->in + static_cast<int64_t>(batch) * rows * cols;
  T* dst = job->out + static_cast<int64_t>(batch) * rows * cols;
  int64_t c0 = static_cast<int64_t>(block) * kBlock, c1 = std::min(cols, c0 + kBlock);
  for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
    int64_t r1 = std::min(rows, r0 + kBlock);
    for (int64_t c = c0; c < c1; ++c)
      for (int64_t r = r0; r < r1; ++r) dst[c * rows + r] = src[r * cols + c];
  }
}

template <typename T>
void transpose_any(const T* in, T* out, int64_t batches, int64_t rows, int64_t cols, pthreadpool_t threadpool) {
  if (rows == 1 || cols == 1) {
    std::copy(in, in + batches * rows * cols, out);
    return;
  }
  TransposeJob<T> job{in, out, rows, cols};
  size_t blocks = static_cast<size_t>((cols + kBlock - 1) / kBlock);
  pthreadpool_parallelize_2d(threadpool, reinterpret_cast<pthreadpool_task_2d_t>(transpose_block<T>), &job,
                             static_cast<size_t>(batches), blocks, 0);
}

}  // namespace

void transpose_batched(const float* in, float* out, int64_t batches, int64_t rows, int64_t cols,
                       pthreadpool_t threadpool) {
  transpose_any(in, out, batches, rows, cols, threadpool);
}

void transpose_batched(const uint8_t* in, uint8_t* out, int64_t batches, int64_t rows, int64_t cols,
                       pthreadpool_t threadpool) {
  transpose_any(in, out, batches, rows, cols, threadpool);
}

std::vector<float> nchw_to_nhwc(const std::vector<float>& in, const Shape& s) {
  std::vector<float> out(in.size());
  transpose_batched(in.data(), out.data(), s[0], s[1], s[2] * s[3]);
  return out;
}

std::vector<uint8_t> nchw_to_nhwc(const std::vector<uint8_t>& in, const Shape& s) {
  std::vector<uint8_t> out(in.size());
  transpose_batched(in.data(), out.data(), s[0], s[1], s[2] * s[3]);
  return out;
}

}  // namespace ew
