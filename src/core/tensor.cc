#include "core/tensor.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ew {

namespace {
std::atomic<int64_t> g_max_tensor_bytes{kMaxTensorBytes};
std::atomic<int64_t> g_buffer_allocations{0};
}  // namespace

int64_t max_tensor_bytes() { return g_max_tensor_bytes.load(std::memory_order_relaxed); }
void set_max_tensor_bytes(int64_t bytes) { g_max_tensor_bytes.store(bytes, std::memory_order_relaxed); }

Result<std::shared_ptr<Buffer>> Buffer::allocate(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0) rounded = 64;
  void* p = std::aligned_alloc(64, rounded);
  if (!p) return resource_exhausted("could not allocate " + std::to_string(bytes) + " bytes");
  std::memset(p, 0, rounded);
  g_buffer_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::shared_ptr<Buffer>(new Buffer(static_cast<uint8_t*>(p), bytes));
}

int64_t Buffer::allocation_count() { return g_buffer_allocations.load(std::memory_order_relaxed); }

Buffer::~Buffer() { std::free(data_); }

Result<Tensor> Tensor::create(DType dtype, Shape shape) {
  if (dtype_size(dtype) == 0) return invalid_argument("cannot create a tensor of undefined type");
  auto n = shape_numel(shape);
  if (!n) return invalid_argument("invalid tensor shape " + shape_to_string(shape));
  int64_t elem = static_cast<int64_t>(dtype_size(dtype));
  if (*n > max_tensor_bytes() / elem)
    return resource_exhausted("tensor " + std::string(dtype_name(dtype)) + shape_to_string(shape) +
                              " exceeds the limit of " + std::to_string(max_tensor_bytes()) + " bytes per tensor");
  EW_ASSIGN_OR_RETURN(auto buffer, Buffer::allocate(static_cast<size_t>(*n * elem)));
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.numel_ = *n;
  t.buffer_ = std::move(buffer);
  return t;
}

Result<Tensor> Tensor::view(std::shared_ptr<Buffer> buffer, size_t offset, DType dtype, Shape shape) {
  auto n = shape_numel(shape);
  if (!n || dtype_size(dtype) == 0) return invalid_argument("invalid view " + shape_to_string(shape));
  size_t bytes = static_cast<size_t>(*n) * dtype_size(dtype);
  if (!buffer || offset > buffer->size() || bytes > buffer->size() - offset)
    return internal_error("view of " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) +
                          " does not fit its buffer");
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.numel_ = *n;
  t.buffer_ = std::move(buffer);
  t.offset_ = offset;
  return t;
}

Result<Tensor> Tensor::reshaped(Shape shape) const {
  auto n = shape_numel(shape);
  if (!n || *n != numel_)
    return invalid_argument("cannot reshape " + describe() + " to " + shape_to_string(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Result<Tensor> Tensor::clone() const {
  EW_ASSIGN_OR_RETURN(Tensor t, create(dtype_, shape_));
  if (nbytes()) std::memcpy(t.raw(), raw(), nbytes());
  return t;
}

double Tensor::get_double(int64_t i) const {
  double v = 0;
  visit_dtype(dtype_, [&](auto tag) {
    using T = typename decltype(tag)::type;
    v = static_cast<double>(static_cast<compute_t<T>>(data<T>()[i]));
  });
  return v;
}

int64_t Tensor::get_int64(int64_t i) const {
  int64_t v = 0;
  visit_dtype(dtype_, [&](auto tag) {
    using T = typename decltype(tag)::type;
    v = static_cast<int64_t>(static_cast<compute_t<T>>(data<T>()[i]));
  });
  return v;
}

std::vector<int64_t> Tensor::to_int64_vector() const {
  std::vector<int64_t> v(static_cast<size_t>(numel_));
  for (int64_t i = 0; i < numel_; ++i) v[i] = get_int64(i);
  return v;
}

std::string Tensor::describe() const { return std::string(dtype_name(dtype_)) + shape_to_string(shape_); }

}  // namespace ew
