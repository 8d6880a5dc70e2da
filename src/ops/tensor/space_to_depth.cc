// SpaceToDepth: moves b x b spatial blocks into channels:
// out[n, (bh * b + bw) * C + c, y, x] = in[n, c, y * b + bh, x * b + bw].
#include "ops/tensor/element_copy.h"
#include "ops/tensor/shape_args.h"

namespace ew {
namespace {

template <typename Ctx>
Result<int64_t> blocksize(const Ctx& ctx) {
  const int64_t b = ctx.node().attr_int("blocksize", 0);
  if (b < 1 || b > (1 << 20)) return ctx.error("blocksize must be positive, got " + std::to_string(b));
  return b;
}

Status run_space_to_depth(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_ASSIGN_OR_RETURN(int64_t b, blocksize(ctx));
  const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2) / b, w = x.dim(3) / b;
  const auto s = shape_strides(x.shape());
  // Output viewed as [N, bh, bw, C, H/b, W/b].
  Tensor& out = ctx.output(0);
  auto view = out.reshaped({n, b, b, c, h, w});
  if (!view.is_ok()) return ctx.error("output shape was not inferred");
  if (!copy_strided(x, *view, {s[0], s[2], s[3], s[1], s[2] * b, s[3] * b}, 0)) return ctx.error("unsupported type");
  return Status::ok();
}

Status infer_space_to_depth(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_ASSIGN_OR_RETURN(int64_t b, blocksize(ctx));
  if (!in.has_shape) {
    ctx.set_output(0, in.dtype, unknown_dims(4));
    return Status::ok();
  }
  if (in.dims.size() != 4) return ctx.error("input must be 4-D [N, C, H, W]");
  std::vector<Dim> out = in.dims;
  out[1] = in.dims[1].known() ? Dim(in.dims[1].value * b * b) : Dim{};
  for (int d = 2; d < 4; ++d) {
    if (!in.dims[d].known()) {
      out[d] = Dim{};
      continue;
    }
    if (in.dims[d].value % b != 0) return ctx.error("spatial dims must be divisible by blocksize");
    out[d] = Dim(in.dims[d].value / b);
  }
  ctx.set_output(0, in.dtype, out);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "SpaceToDepth", .infer = infer_space_to_depth, .run = run_space_to_depth);

}  // namespace ew
