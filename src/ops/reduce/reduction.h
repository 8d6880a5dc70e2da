// Shared machinery of the reduction ops (Reduce*, ArgMax, ArgMin): which axes
// a node reduces, the output shape, and one driver that visits, for every
// output element in row-major order, the input elements it reduces.
//
// A reduction op supplies a Reducer for element type T:
//   using Acc = ...;                          accumulator type
//   Acc init() const;                         value of the empty reduction
//   void add(Acc&, T) const;                  folds one element in
//   Out finalize(const Acc&, int64_t count);  count = elements per output
// Reducing over no axes (noop_with_empty_axes) visits each element alone, so
// ReduceSumSquare then squares elementwise, as the ONNX reference does.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "ops/op.h"

namespace ew {

// ---- Axes and shapes -------------------------------------------------------

// Axes a Reduce* node names, read from the `axes` attribute before opset
// `axes_input_since` and from the optional input 1 from then on. `known` is
// false when input 1 is present but its value is not available yet (load time).
struct ReduceAxesSpec {
  bool known = true;
  std::vector<int64_t> axes;         // as written: may be negative, empty means "all" (or none, see noop)
  bool noop_with_empty_axes = false;  // only from the opset where axes became an input
  bool keepdims = true;
};

// `axes_value` is input 1's value (nullptr when absent or unknown); `axes_present` tells which.
Result<ReduceAxesSpec> read_reduce_axes(const Node& node, int64_t opset, int64_t axes_input_since,
                                        bool axes_present, const Tensor* axes_value);

// Per-axis "is reduced" mask for an input of `rank`; rejects out-of-range and repeated axes.
Result<std::vector<bool>> reduce_mask(const ReduceAxesSpec& spec, int64_t rank);

// Output dims of a reduction: reduced axes become 1 (keepdims) or disappear.
std::vector<Dim> reduced_dims(const std::vector<Dim>& in, const std::vector<bool>& mask, bool keepdims);
Shape reduced_shape(const Shape& in, const std::vector<bool>& mask, bool keepdims);

// infer() of a Reduce* op. `allow_bool` for ReduceMax/ReduceMin (bool since opset 20).
Status infer_reduce(InferContext& ctx, int64_t axes_input_since, bool allow_bool);
// The mask a Reduce* kernel uses (run time: every input known).
Result<std::vector<bool>> reduce_mask_for_run(KernelContext& ctx, int64_t axes_input_since);

// ---- Iteration -------------------------------------------------------------

// The kept and reduced axes of one reduction, each with input strides, after
// merging neighbouring axes that are contiguous in memory.
struct ReducePlan {
  std::vector<int64_t> kept_dims, kept_strides;
  std::vector<int64_t> red_dims, red_strides;
  int64_t red_count = 1;  // input elements per output element
};
ReducePlan make_reduce_plan(const Shape& in, const std::vector<bool>& mask);

// Visits base + offset of every index of a (dims, strides) space in row-major
// order. Built once per kernel; run() allocates nothing.
class OffsetWalker {
 public:
  OffsetWalker(const std::vector<int64_t>& dims, const std::vector<int64_t>& strides)
      : dims_(dims), strides_(strides), idx_(dims.size(), 0) {}

  template <typename Fn>
  void run(int64_t base, Fn&& fn) {
    const size_t rank = dims_.size();
    if (rank == 0) {
      fn(base);
      return;
    }
    for (int64_t d : dims_)
      if (d == 0) return;
    std::fill(idx_.begin(), idx_.end(), 0);
    const int64_t inner = dims_[rank - 1], step = strides_[rank - 1];
    for (;;) {
      for (int64_t j = 0, off = base; j < inner; ++j, off += step) fn(off);
      size_t d = rank - 1;
      for (;;) {
        if (d == 0) return;
        --d;
        base += strides_[d];
        if (++idx_[d] < dims_[d]) break;
        base -= strides_[d] * dims_[d];
        idx_[d] = 0;
      }
    }
  }

 private:
  std::vector<int64_t> dims_, strides_, idx_;
};

// The driver: out[o] = finalize(fold of add over the inputs reduced into o).
template <typename T, typename Out, typename Reducer>
void reduce_kernel(const Tensor& in, Tensor& out, const ReducePlan& plan, const Reducer& r) {
  const T* x = in.data<T>();
  Out* y = out.data<Out>();
  OffsetWalker outer(plan.kept_dims, plan.kept_strides);
  OffsetWalker inner(plan.red_dims, plan.red_strides);
  int64_t o = 0;
  outer.run(0, [&](int64_t base) {
    typename Reducer::Acc acc = r.init();
    inner.run(base, [&](int64_t off) { r.add(acc, x[off]); });
    y[o++] = r.finalize(acc, plan.red_count);
  });
}

// ---- Arithmetic helpers for reducers --------------------------------------

// Accumulator for sums and products: double for floats, 64-bit for integers.
template <typename T>
using wide_t = std::conditional_t<std::is_floating_point_v<compute_t<T>>, double,
                                  std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;

// An element widened to its accumulator type.
template <typename T>
wide_t<T> widen(T v) {
  return static_cast<wide_t<T>>(static_cast<compute_t<T>>(v));
}

// Integer arithmetic wraps (as the narrow ONNX result would) instead of overflowing.
template <typename A>
A wrap_add(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(std::make_unsigned_t<A>(a) + std::make_unsigned_t<A>(b));
  else return a + b;
}
template <typename A>
A wrap_sub(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(std::make_unsigned_t<A>(a) - std::make_unsigned_t<A>(b));
  else return a - b;
}
template <typename A>
A wrap_mul(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(std::make_unsigned_t<A>(a) * std::make_unsigned_t<A>(b));
  else return a * b;
}

// NaN test that also accepts integer and bool values (never NaN).
template <typename A>
bool is_nan(A v) {
  if constexpr (std::is_floating_point_v<A>) return std::isnan(v);
  else return false;
}

// Converts a double result to T; integers saturate and NaN becomes 0 (never UB).
template <typename T>
T from_double(double v) {
  if constexpr (std::is_floating_point_v<compute_t<T>>) {
    return T(static_cast<compute_t<T>>(v));
  } else {
    if (std::isnan(v)) return T(0);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }
}

// Converts an accumulator to T: a cast for floats, modular for integers.
template <typename T, typename A>
T narrow_to(A a) {
  if constexpr (std::is_floating_point_v<compute_t<T>>) return T(static_cast<compute_t<T>>(a));
  else return static_cast<T>(a);
}

// Runs a Reduce* op whose reducer is R<T>, on numeric types (and bool if AllowBool).
template <template <typename> class R, bool AllowBool = false>
Status run_reduce(KernelContext& ctx, int64_t axes_input_since) {
  const Tensor& x = ctx.input(0);
  EW_ASSIGN_OR_RETURN(std::vector<bool> mask, reduce_mask_for_run(ctx, axes_input_since));
  const ReducePlan plan = make_reduce_plan(x.shape(), mask);
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool> || AllowBool) reduce_kernel<T, T>(x, ctx.output(0), plan, R<T>{});
  });
  if (!ok || (!AllowBool && x.dtype() == DType::kBool))
    return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
  return Status::ok();
}

}  // namespace ew
