// DepthToSpace: moves channel blocks into b x b spatial blocks.
// DCR (default): channel c = (bh * b + bw) * C' + c'; CRD (opset 11): c = (c' * b + bh) * b + bw.
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

Status run_depth_to_space(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  EW_ASSIGN_OR_RETURN(int64_t b, blocksize(ctx));
  const int64_t n = x.dim(0), c = x.dim(1) / (b * b), h = x.dim(2), w = x.dim(3);
  const bool crd = ctx.node().attr_string("mode", "DCR") == "CRD";
  // Input viewed as 6-D; strides of each logical index in the input.
  const int64_t sw = 1, sh = w * sw, sch = h * sh;  // per-channel strides
  const int64_t s_bw = crd ? sch : c * sch, s_bh = crd ? b * sch : b * c * sch, s_c = crd ? b * b * sch : sch;
  const int64_t s_n = x.dim(1) * sch;
  // Output viewed as [N, C', H, bh, W, bw].
  Tensor& out = ctx.output(0);
  auto view = out.reshaped({n, c, h, b, w, b});
  if (!view.is_ok()) return ctx.error("output shape was not inferred");
  if (!copy_strided(x, *view, {s_n, s_c, sh, s_bh, sw, s_bw}, 0)) return ctx.error("unsupported type");
  return Status::ok();
}

Status infer_depth_to_space(InferContext& ctx) {
  EW_RETURN_IF_ERROR(require_inputs(ctx, 1));
  const ValueType& in = ctx.input_type(0);
  EW_ASSIGN_OR_RETURN(int64_t b, blocksize(ctx));
  const std::string mode = ctx.node().attr_string("mode", "DCR");
  if (mode != "DCR" && mode != "CRD") return ctx.error("mode must be DCR or CRD, got '" + mode + "'");
  if (!in.has_shape) {
    ctx.set_output(0, in.dtype, unknown_dims(4));
    return Status::ok();
  }
  if (in.dims.size() != 4) return ctx.error("input must be 4-D [N, C, H, W]");
  std::vector<Dim> out = in.dims;
  if (in.dims[1].known()) {
    if (in.dims[1].value % (b * b) != 0) return ctx.error("channels must be divisible by blocksize^2");
    out[1] = Dim(in.dims[1].value / (b * b));
  } else {
    out[1] = Dim{};
  }
  out[2] = in.dims[2].known() ? Dim(in.dims[2].value * b) : Dim{};
  out[3] = in.dims[3].known() ? Dim(in.dims[3].value * b) : Dim{};
  ctx.set_output(0, in.dtype, out);
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "DepthToSpace", .infer = infer_depth_to_space, .run = run_depth_to_space);

}  // namespace ew
