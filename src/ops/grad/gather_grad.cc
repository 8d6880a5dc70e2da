// GatherGrad(dY, indices, like) -> dX: the gradient of Gather with respect to
// its data (an embedding table, say): zeros of like's shape with each row of
// dY added at its index along `axis` (attribute as the forward's, default 0),
// so repeated indices accumulate. Negative indices count from the end;
// indices out of range are an error, as in Gather.
#include <algorithm>
#include <vector>

#include "ops/grad/grad_domain.h"
#include "ops/grad/grad_util.h"

namespace ew {
namespace {

Status infer_gather_grad(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  DType t = ctx.input_type(1).dtype;
  if (!ctx.has_input(1) || (t != DType::kUndefined && t != DType::kInt32 && t != DType::kInt64))
    return ctx.error("indices must be an int32 or int64 tensor");
  return infer_like_input(ctx, 2);
}

Status run_gather_grad(KernelContext& ctx) {
  EW_RETURN_IF_ERROR(require_f32_input(ctx, 0));
  if (!ctx.has_input(1) || !ctx.has_input(2)) return ctx.error("needs inputs dY, indices and like");
  const Tensor &dy = ctx.input(0), &indices = ctx.input(1);
  const Shape& data = ctx.input(2).shape();
  if (indices.dtype() != DType::kInt32 && indices.dtype() != DType::kInt64)
    return ctx.error("indices must be an int32 or int64 tensor, got " + indices.describe());
  const int64_t rank = static_cast<int64_t>(data.size());
  auto axis = normalize_axis(ctx.node().attr_int("axis", 0), rank);
  if (!axis) return ctx.error("axis out of range for data " + shape_to_string(data));
  Shape expect(data.begin(), data.begin() + *axis);
  expect.insert(expect.end(), indices.shape().begin(), indices.shape().end());
  expect.insert(expect.end(), data.begin() + *axis + 1, data.end());
  if (dy.shape() != expect)
    return ctx.error("dY " + dy.describe() + " is not the Gather output shape " + shape_to_string(expect));
  const int64_t dim = data[*axis];
  std::vector<int64_t> idx = indices.to_int64_vector();
  for (int64_t& i : idx) {
    if (i < -dim || i >= dim)
      return out_of_range("node " + ctx.node().label() + ": index " + std::to_string(i) +
                          " is out of range for axis of size " + std::to_string(dim));
    if (i < 0) i += dim;
  }
  int64_t outer = 1, row = 1;
  for (int64_t d = 0; d < *axis; ++d) outer *= data[d];
  for (int64_t d = *axis + 1; d < rank; ++d) row *= data[d];
  float* dx = ctx.output(0).data<float>();
  std::fill(dx, dx + ctx.output(0).numel(), 0.0f);
  const float* g = dy.data<float>();
  const int64_t n = static_cast<int64_t>(idx.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < n; ++j) {
      const float* src = g + (o * n + j) * row;
      float* dst = dx + (o * dim + idx[j]) * row;
      for (int64_t k = 0; k < row; ++k) dst[k] += src[k];
    }
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "GatherGrad", .domain = kGradDomain, .infer = infer_gather_grad, .run = run_gather_grad);

}  // namespace ew
