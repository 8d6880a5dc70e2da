// Argument helpers shared by the tensor ops: integer lists that are an
// attribute in early opsets and an input later (axes, pads, split...),
// static dim arithmetic, and folding of small constant results so that shape
// subgraphs (Shape -> Gather -> Concat -> Reshape) resolve at load time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew {

// The value of input i when known: at load time only constants, at run time always.
inline const Tensor* value_of(const InferContext& ctx, int i) { return ctx.has_input(i) ? ctx.input_value(i) : nullptr; }
inline const Tensor* value_of(const KernelContext& ctx, int i) { return ctx.has_input(i) ? &ctx.input(i) : nullptr; }

// An integer list argument: absent, present with a known value, or present but unknown until run time.
struct IntsArg {
  enum class State { kAbsent, kKnown, kUnknown };
  State state = State::kAbsent;
  std::vector<int64_t> values;
  bool known() const { return state == State::kKnown; }
  bool absent() const { return state == State::kAbsent; }
};

// Reads a list from attribute `attr` when opset < input_since, else from input `input`.
template <typename Ctx>
Result<IntsArg> ints_arg(const Ctx& ctx, const std::string& attr, int input, int64_t input_since) {
  IntsArg a;
  if (ctx.opset() < input_since) {
    if (!ctx.node().has_attr(attr)) return a;
    a.state = IntsArg::State::kKnown;
    a.values = ctx.node().attr_ints(attr);
    return a;
  }
  if (!ctx.has_input(input)) return a;
  const Tensor* t = value_of(ctx, input);
  if (!t) {
    a.state = IntsArg::State::kUnknown;
    return a;
  }
  if (!is_integer(t->dtype())) return ctx.error("input " + std::to_string(input) + " must be an integer tensor, got " + t->describe());
  if (t->rank() > 1) return ctx.error("input " + std::to_string(input) + " must be 0-D or 1-D, got " + t->describe());
  a.state = IntsArg::State::kKnown;
  a.values = t->to_int64_vector();
  return a;
}

// Normalizes each axis against `rank`; fails on out-of-range or repeated axes.
template <typename Ctx>
Result<std::vector<int64_t>> normalize_axes(const Ctx& ctx, const std::vector<int64_t>& axes, int64_t rank) {
  std::vector<int64_t> out;
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    auto n = normalize_axis(a, rank);
    if (!n) return ctx.error("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    if (seen[*n]) return ctx.error("axis " + std::to_string(a) + " is repeated");
    seen[*n] = true;
    out.push_back(*n);
  }
  return out;
}

template <typename Ctx>
Result<int64_t> axis_attr(const Ctx& ctx, int64_t fallback, int64_t rank) {
  int64_t a = ctx.node().attr_int("axis", fallback);
  auto n = normalize_axis(a, rank);
  if (!n) return ctx.error("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
  return *n;
}

// An index out of bounds in the data: kOutOfRange, naming the node.
template <typename Ctx>
Status index_error(const Ctx& ctx, const std::string& message) {
  return out_of_range("node " + ctx.node().label() + ": " + message);
}

// Product of dims when all are known.
inline std::optional<int64_t> dims_numel(const std::vector<Dim>& dims, size_t begin = 0, size_t end = SIZE_MAX) {
  int64_t n = 1;
  for (size_t i = begin; i < end && i < dims.size(); ++i) {
    if (!dims[i].known()) return std::nullopt;
    if (dims[i].value != 0 && n > INT64_MAX / dims[i].value) return std::nullopt;
    n *= dims[i].value;
  }
  return n;
}

inline std::vector<Dim> unknown_dims(size_t rank) { return std::vector<Dim>(rank); }

// Requires inputs 0..n-1 to be present and output 0 to exist.
inline Status require_inputs(const InferContext& ctx, int n) {
  for (int i = 0; i < n; ++i)
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  if (ctx.num_outputs() < 1) return ctx.error("the node has no outputs");
  return Status::ok();
}

// Requires input i to have an integer dtype (when its type is known).
inline Status require_integer(const InferContext& ctx, int i, const char* what) {
  DType t = ctx.input_type(i).dtype;
  if (t != DType::kUndefined && !is_integer(t))
    return ctx.error(std::string(what) + " must be an integer tensor, got " + dtype_name(t));
  return Status::ok();
}

inline constexpr int64_t kFoldLimit = 1024;

// When every present input value is known and small and the outputs' shapes are
// fixed, runs the kernel now and records the outputs as constant values.
// Failure is not an error here: the kernel reports it again at run time.
inline void fold_small(InferContext& ctx, KernelFn run) {
  std::vector<const Tensor*> ins;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const Tensor* v = ctx.has_input(i) ? ctx.input_value(i) : nullptr;
    if (ctx.has_input(i) && (!v || v->numel() > kFoldLimit)) return;
    ins.push_back(v);
  }
  std::vector<Tensor> outs(ctx.num_outputs());
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    const ValueType& vt = ctx.output_types()[i];
    if (!ctx.has_output(i)) continue;
    if (!vt.fully_known() || vt.dtype == DType::kUndefined) return;
    auto n = shape_numel(vt.concrete_shape());
    if (!n || *n > kFoldLimit) return;
    auto t = Tensor::create(vt.dtype, vt.concrete_shape());
    if (!t.is_ok()) return;
    outs[i] = std::move(t).value();
  }
  KernelContext k(ctx.node(), ctx.opset(), ins, &outs, nullptr);
  if (!run(k).is_ok()) return;
  for (int i = 0; i < ctx.num_outputs(); ++i)
    if (outs[i].defined()) ctx.set_output_value(i, outs[i]);
}

}  // namespace ew
