// ReverseSequence: for each batch entry b, reverses the first
// sequence_lens[b] steps along time_axis; later steps are copied unchanged.
#include <cstring>

#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_reverse_sequence(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& lens_t = ctx.input(1);
  const int64_t batch_axis = ctx.node().attr_int("batch_axis", 1);
  const int64_t time_axis = ctx.node().attr_int("time_axis", 0);
  const int64_t batch = x.dim(batch_axis), steps = x.dim(time_axis);
  if (lens_t.rank() != 1 || lens_t.numel() != batch)
    return ctx.error("sequence_lens must be 1-D with one entry per batch, got " + lens_t.describe());
  const std::vector<int64_t> lens = lens_t.to_int64_vector();
  for (int64_t len : lens)
    if (len < 0 || len > steps)
      return index_error(ctx, "sequence length " + std::to_string(len) + " is outside [0, " + std::to_string(steps) + "]");
  const auto strides = shape_strides(x.shape());
  const size_t elem = dtype_size(x.dtype());
  const size_t inner = dims_product(x.shape(), 2, x.rank()) * elem;
  const auto* src = static_cast<const uint8_t*>(x.raw());
  auto* dst = static_cast<uint8_t*>(ctx.output(0).raw());
  if (inner == 0) return Status::ok();
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t t = 0; t < steps; ++t) {
      const int64_t from = t < lens[b] ? lens[b] - 1 - t : t;
      const int64_t o = (t * strides[time_axis] + b * strides[batch_axis]) * elem;
      const int64_t i = (from * strides[time_axis] + b * strides[batch_axis]) * elem;
      std::memcpy(dst + o, src + i, inner);
    }
  return Status::ok();
}

Status infer_reverse_sequence(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 2));
  const ValueType& in = ctx.input_type(0);
  const int64_t batch_axis = ctx.node().attr_int("batch_axis", 1);
  const int64_t time_axis = ctx.node().attr_int("time_axis", 0);
  if (!((batch_axis == 0 && time_axis == 1) || (batch_axis == 1 && time_axis == 0)))
    return ctx.error("batch_axis and time_axis must be 0 and 1 in some order");
  const DType lt = ctx.input_type(1).dtype;
  if (lt != DType::kUndefined && lt != DType::kInt64) return ctx.error("sequence_lens must be int64");
  if (in.has_shape && in.dims.size() < 2) return ctx.error("input must have rank >= 2");
  ctx.set_output(0, in);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "ReverseSequence", .since_version = 10, .infer = infer_reverse_sequence,
               .run = run_reverse_sequence);

}  // namespace ew
