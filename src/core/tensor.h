// Tensor: a dtype, a concrete shape and a view into a shared, 64-byte aligned
// buffer. Copies are shallow; clone() copies the bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"
#include "core/status.h"

namespace ew {

// Largest single tensor Edgewise will allocate (default 8 GiB); protects
// against absurd declared dims. Devices and fuzzers lower it.
inline constexpr int64_t kMaxTensorBytes = int64_t{8} << 30;
int64_t max_tensor_bytes();
void set_max_tensor_bytes(int64_t bytes);

class Buffer {
 public:
  static Result<std::shared_ptr<Buffer>> allocate(size_t bytes);
  // How many buffers this process has allocated so far (tests count steady-state allocations).
  static int64_t allocation_count();
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  Buffer(uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t* data_;
  size_t size_;
};

class Tensor {
 public:
  Tensor() = default;

  // Allocates a zero-filled tensor. Fails on negative dims, overflow or sizes over kMaxTensorBytes.
  static Result<Tensor> create(DType dtype, Shape shape);
  // Builds a tensor from values (copies them).
  template <typename T>
  static Result<Tensor> from_vector(Shape shape, const std::vector<T>& values);
  template <typename T>
  static Result<Tensor> scalar(T value) { return from_vector<T>({}, {value}); }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t dim(int64_t i) const { return shape_[i]; }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return static_cast<size_t>(numel_) * dtype_size(dtype_); }
  bool defined() const { return dtype_ != DType::kUndefined; }

  void* raw() { return buffer_ ? buffer_->data() + offset_ : nullptr; }
  const void* raw() const { return buffer_ ? buffer_->data() + offset_ : nullptr; }
  template <typename T> T* data() { return static_cast<T*>(raw()); }
  template <typename T> const T* data() const { return static_cast<const T*>(raw()); }

  // A view of an existing buffer's bytes from `offset` (memory planning).
  // Fails when the tensor does not fit in the buffer.
  static Result<Tensor> view(std::shared_ptr<Buffer> buffer, size_t offset, DType dtype, Shape shape);
  // True when both tensors view bytes of the same buffer.
  bool shares_buffer_with(const Tensor& other) const { return buffer_ && buffer_ == other.buffer_; }
  // Owners of the underlying buffer (0 without one).
  long buffer_use_count() const { return buffer_.use_count(); }

  // Same bytes, new shape with the same element count.
  Result<Tensor> reshaped(Shape shape) const;
  // Deep copy.
  Result<Tensor> clone() const;
  // Reads element i as double / int64 (any dtype). For shape and index inputs.
  double get_double(int64_t i) const;
  int64_t get_int64(int64_t i) const;
  // Reads a whole 0-d or 1-d integer tensor as int64 values.
  std::vector<int64_t> to_int64_vector() const;
  std::string describe() const;  // "float32[1,3,224,224]"

 private:
  DType dtype_ = DType::kUndefined;
  Shape shape_;
  int64_t numel_ = 0;
  std::shared_ptr<Buffer> buffer_;
  size_t offset_ = 0;
};

template <typename T>
Result<Tensor> Tensor::from_vector(Shape shape, const std::vector<T>& values) {
  EW_ASSIGN_OR_RETURN(Tensor t, create(dtype_v<T>, std::move(shape)));
  if (static_cast<int64_t>(values.size()) != t.numel())
    return invalid_argument("from_vector: " + std::to_string(values.size()) + " values for shape " +
                            shape_to_string(t.shape()));
  T* out = t.data<T>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return t;
}

}  // namespace ew
