// NCHW <-> NHWC conversion, for XNNPACK partition boundaries and constants.
#pragma once

#include <cstdint>
#include <vector>

#include <pthreadpool.h>

#include "core/shape.h"

namespace ew {

// Transposes each of `batches` [rows x cols] float matrices (row-major) into
// [cols x rows], in 16x16 blocks, split over `threadpool` when given.
void transpose_batched(const float* in, float* out, int64_t batches, int64_t rows, int64_t cols,
                       pthreadpool_t threadpool = nullptr);
// The same for 1-byte elements (uint8 / int8 tensors).
void transpose_batched(const uint8_t* in, uint8_t* out, int64_t batches, int64_t rows, int64_t cols,
                       pthreadpool_t threadpool = nullptr);

// shape is the NCHW shape of `in`.
std::vector<float> nchw_to_nhwc(const std::vector<float>& in, const Shape& nchw);
std::vector<uint8_t> nchw_to_nhwc(const std::vector<uint8_t>& in, const Shape& nchw);

}  // namespace ew
