// Small helpers shared by the fast kernels' prepare functions.
#pragma once

#include <memory>
#include <utility>

#include "ops/op.h"

namespace ew::fast {

using Prepared = Result<std::unique_ptr<PreparedKernel>>;

// "Not handled here": the reference kernel runs instead.
inline Prepared not_handled() { return std::unique_ptr<PreparedKernel>{}; }

template <typename K>
Prepared prepared(std::unique_ptr<K> k) { return std::unique_ptr<PreparedKernel>(std::move(k)); }

inline bool has_input(const PrepareContext& ctx, int i) {
  return i < static_cast<int>(ctx.input_types.size()) && ctx.node.has_input(i) &&
         ctx.input_types[i].dtype != DType::kUndefined;
}

// Input i is present, float32 and of concrete shape.
inline bool is_f32(const PrepareContext& ctx, int i) {
  return has_input(ctx, i) && ctx.input_types[i].dtype == DType::kFloat32 && ctx.input_types[i].fully_known();
}

inline Shape input_shape(const PrepareContext& ctx, int i) { return ctx.input_types[i].concrete_shape(); }

inline const Tensor* constant_input(const PrepareContext& ctx, int i) {
  return i < static_cast<int>(ctx.input_values.size()) ? ctx.input_values[i] : nullptr;
}

// A zeroed, 64-byte aligned scratch buffer of n floats (at least one).
inline Result<Tensor> scratch_floats(int64_t n) { return Tensor::create(DType::kFloat32, {n > 0 ? n : 1}); }

}  // namespace ew::fast
