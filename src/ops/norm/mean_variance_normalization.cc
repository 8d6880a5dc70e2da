// MeanVarianceNormalization: y = (x - E[x]) / (sqrt(E[(x - E[x])^2]) + 1e-9),
// moments taken over `axes` (default [0, 2, 3]), as the ONNX function body does.
#include <cmath>
#include <vector>

#include "ops/broadcast.h"

namespace ew {
namespace {

// Axes normalized to [0, rank), checked for range and duplicates.
Result<std::vector<bool>> reduced_axes(const Node& node, int64_t rank) {
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  for (int64_t a : node.attr_ints("axes", {0, 2, 3})) {
    auto n = normalize_axis(a, rank);
    if (!n) return invalid_argument("axis " + std::to_string(a) + " out of range for rank " + std::to_string(rank));
    if (reduced[*n]) return invalid_argument("axis " + std::to_string(a) + " repeated");
    reduced[*n] = true;
  }
  return reduced;
}

Status infer_mvn(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  const ValueType& x = ctx.input_type(0);
  if (x.dtype != DType::kUndefined && !is_float(x.dtype)) return ctx.error("input must be a float tensor");
  if (x.has_shape) {
    auto r = reduced_axes(ctx.node(), static_cast<int64_t>(x.dims.size()));
    if (!r.is_ok()) return ctx.error(r.status().message());
  }
  ctx.set_output(0, x);
  return Status::ok();
}

// For each element (row-major), the index of its group: the position among the kept dims.
std::vector<int64_t> group_of_elements(const Shape& shape, const std::vector<bool>& reduced, int64_t& groups) {
  const size_t rank = shape.size();
  std::vector<int64_t> gstride(rank, 0);
  groups = 1;
  for (size_t d = rank; d-- > 0;)
    if (!reduced[d]) { gstride[d] = groups; groups *= shape[d]; }
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  std::vector<int64_t> group(static_cast<size_t>(total));
  std::vector<int64_t> idx(rank, 0);
  int64_t g = 0;
  for (int64_t i = 0; i < total; ++i) {
    group[i] = g;
    for (size_t d = rank; d-- > 0;) {
      g += gstride[d];
      if (++idx[d] < shape[d]) break;
      g -= gstride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return group;
}

template <typename T>
void normalize_groups(const T* in, T* out, const std::vector<int64_t>& group, int64_t groups) {
  std::vector<double> mean(groups, 0.0), var(groups, 0.0), count(groups, 0.0);
  const size_t n = group.size();
  for (size_t i = 0; i < n; ++i) { mean[group[i]] += double(in[i]); count[group[i]] += 1; }
  for (int64_t g = 0; g < groups; ++g) mean[g] /= count[g];
  for (size_t i = 0; i < n; ++i) var[group[i]] += (double(in[i]) - mean[group[i]]) * (double(in[i]) - mean[group[i]]);
  for (int64_t g = 0; g < groups; ++g) var[g] = std::sqrt(var[g] / count[g]) + 1e-9;
  for (size_t i = 0; i < n; ++i)
    out[i] = T(static_cast<compute_t<T>>((double(in[i]) - mean[group[i]]) / var[group[i]]));
}

Status run_mvn(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  auto reduced = reduced_axes(ctx.node(), x.rank());
  if (!reduced.is_ok()) return ctx.error(reduced.status().message());
  if (x.numel() == 0) return Status::ok();
  int64_t groups = 0;
  const std::vector<int64_t> group = group_of_elements(x.shape(), *reduced, groups);
  bool ok = visit_float(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    normalize_groups<T>(x.data<T>(), ctx.output(0).data<T>(), group, groups);
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "MeanVarianceNormalization", .infer = infer_mvn, .run = run_mvn);

}  // namespace ew
