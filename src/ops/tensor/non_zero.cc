// NonZero: int64 [rank, count] coordinates of the non-zero elements, in
// row-major order. A scalar is treated as a 1-element vector.
#include <algorithm>

#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

Status run_non_zero(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  std::vector<bool> nz(x.numel());
  int64_t count = 0;
  bool ok = visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = x.data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) {
      nz[i] = static_cast<compute_t<T>>(p[i]) != compute_t<T>(0);
      count += nz[i] ? 1 : 0;
    }
  });
  if (!ok) return ctx.error("unsupported type");
  const int64_t rank = std::max<int64_t>(x.rank(), 1);
  const Shape shape = x.rank() == 0 ? Shape{1} : x.shape();
  EW_ASSIGN_OR_RETURN(Tensor* out, ctx.allocate_output(0, DType::kInt64, {rank, count}));
  int64_t* o = out->data<int64_t>();
  std::vector<int64_t> pos(rank, 0);
  int64_t k = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    if (nz[i]) {
      for (int64_t d = 0; d < rank; ++d) o[d * count + k] = pos[d];
      ++k;
    }
    for (int64_t d = rank - 1; d >= 0 && ++pos[d] == shape[d]; --d) pos[d] = 0;
  }
  return Status::ok();
}

Status infer_non_zero(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  if (!in.has_shape) {
    ctx.set_output(0, DType::kInt64, unknown_dims(2));
    return Status::ok();
  }
  ctx.set_output(0, DType::kInt64, {Dim(std::max<int64_t>(in.dims.size(), 1)), Dim{}});
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "NonZero", .since_version = 9, .infer = infer_non_zero, .run = run_non_zero);

}  // namespace ew
