// com.microsoft QLinearAveragePool: average pooling of a quantized tensor,
// NCHW or (channels_last = 1) NHWC, computed as ONNX Runtime does: dequantize
// to float, average in float, y = saturate(round(avg / sy + zy)). With
// count_include_pad the divisor is the full kernel size.
#include <algorithm>

#include "ops/quant/conv_geometry.h"
#include "ops/quant/int_conv.h"
#include "ops/quant/quant_util.h"

namespace ew {
namespace {

enum Input { kX, kXScale, kXZp, kYScale, kYZp };

// Spatial dims of x (NCHW or NHWC) and the channel dim index.
size_t channel_dim(size_t rank, bool last) { return last ? rank - 1 : 1; }

std::vector<Dim> spatial_dims(const std::vector<Dim>& d, bool last) {
  return last ? std::vector<Dim>(d.begin() + 1, d.end() - 1) : std::vector<Dim>(d.begin() + 2, d.end());
}

Status infer_qlinear_pool(InferContext& ctx) {
  for (int i : {kX, kXScale, kYScale})
    if (!ctx.has_input(i)) return ctx.error("input " + std::to_string(i) + " is required");
  const DType t = ctx.input_type(kX).dtype;
  if (t != DType::kUndefined && !quant::is_quant8(t)) return ctx.error("X must be uint8 or int8");
  for (int i : {kXZp, kYZp}) EW_RETURN_IF_ERROR(quant::check_dtype(ctx, i, t, "zero point"));
  for (int i : {kXScale, kXZp, kYScale, kYZp}) EW_RETURN_IF_ERROR(quant::check_scalar_input(ctx, i, "scale and zero point"));
  for (int64_t d : ctx.node().attr_ints("dilations"))
    if (d != 1) return ctx.error("dilations are not supported");
  const ValueType& x = ctx.input_type(kX);
  if (!x.has_shape) {
    ctx.set_output_dtype_only(0, t);
    return Status::ok();
  }
  if (x.dims.size() < 3 || x.dims.size() > 5) return ctx.error("X must have rank 3 to 5, got " + x.to_string());
  const bool last = ctx.node().attr_int("channels_last", 0) != 0;
  const auto sp = spatial_dims(x.dims, last);
  auto g = quant::resolve_conv_geometry(ctx.node(), quant::known_sizes(sp, 0), {}, ctx.node().attr_int("ceil_mode", 0) != 0);
  if (!g.is_ok()) return ctx.error(g.status().message());
  std::vector<Dim> dims = quant::conv_output_dims(x.dims[0], x.dims[channel_dim(x.dims.size(), last)], *g);
  if (last) std::rotate(dims.begin() + 1, dims.begin() + 2, dims.end());  // channels to the end
  ctx.set_output(0, t, dims);
  return Status::ok();
}

struct PoolParams {
  quant::IntConvShape p;  // reuses the 3-D padded geometry (channels = in_channels)
  bool last = false, include_pad = false;
  float sx = 1, sy = 1;
  int32_t zx = 0, zy = 0;
};

template <typename T>
void average_pool(const PoolParams& q, const T* x, T* y) {
  const quant::IntConvShape& p = q.p;
  const int64_t C = p.in_channels, in_plane = p.in_plane(), out_plane = p.out_plane();
  const int64_t kernel_size = p.kernel_size();
  // Element (n, c, spatial i) lives at n*C*plane + c*plane + i (NCHW) or n*plane*C + i*C + c (NHWC).
  auto in_at = [&](int64_t n, int64_t c, int64_t i) { return q.last ? (n * in_plane + i) * C + c : (n * C + c) * in_plane + i; };
  auto out_at = [&](int64_t n, int64_t c, int64_t i) { return q.last ? (n * out_plane + i) * C + c : (n * C + c) * out_plane + i; };
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t od = 0; od < p.out[0]; ++od)
        for (int64_t oh = 0; oh < p.out[1]; ++oh)
          for (int64_t ow = 0; ow < p.out[2]; ++ow) {
            int64_t lo[3], hi[3];
            const int64_t o[3] = {od, oh, ow};
            for (int d = 0; d < 3; ++d) {
              lo[d] = o[d] * p.stride[d] - p.pad[d];
              hi[d] = std::min(lo[d] + p.kernel[d], p.in[d]);
              lo[d] = std::max<int64_t>(lo[d], 0);
            }
            float sum = 0;
            for (int64_t id = lo[0]; id < hi[0]; ++id)
              for (int64_t ih = lo[1]; ih < hi[1]; ++ih)
                for (int64_t iw = lo[2]; iw < hi[2]; ++iw)
                  sum += q.sx * static_cast<float>(static_cast<int32_t>(x[in_at(n, c, (id * p.in[1] + ih) * p.in[2] + iw)]) - q.zx);
            const int64_t count = q.include_pad ? kernel_size : (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
            const float avg = count > 0 ? sum / static_cast<float>(count) : 0.0f;
            y[out_at(n, c, (od * p.out[1] + oh) * p.out[2] + ow)] =
                quant::quantize_value<T>(avg / q.sy + static_cast<float>(q.zy), 0);
          }
}

Result<PoolParams> pool_params(const KernelContext& ctx) {
  PoolParams q;
  q.last = ctx.node().attr_int("channels_last", 0) != 0;
  q.include_pad = ctx.node().attr_int("count_include_pad", 0) != 0;
  const Shape& xs = ctx.input(kX).shape();
  if (xs.size() < 3 || xs.size() > 5) return invalid_argument("X must have rank 3 to 5");
  Shape nchw = xs;
  if (q.last) std::rotate(nchw.begin() + 1, nchw.end() - 1, nchw.end());  // channels to position 1
  EW_ASSIGN_OR_RETURN(quant::ConvGeometry g,
                      quant::resolve_conv_geometry(ctx.node(), Shape(nchw.begin() + 2, nchw.end()), {},
                                                   ctx.node().attr_int("ceil_mode", 0) != 0));
  Shape w{nchw[1], 1};
  w.insert(w.end(), g.kernel.begin(), g.kernel.end());
  EW_ASSIGN_OR_RETURN(q.p, quant::make_int_conv_shape(nchw, w, nchw[1] == 0 ? 1 : nchw[1], g));
  auto zp = [&](int i) { return quant::zero_point_at(ctx.has_input(i) ? &ctx.input(i) : nullptr, 0); };
  q.sx = quant::scale_at(ctx.input(kXScale), 0);
  q.sy = quant::scale_at(ctx.input(kYScale), 0);
  q.zx = zp(kXZp);
  q.zy = zp(kYZp);
  return q;
}

Status run_qlinear_pool(KernelContext& ctx) {
  auto q = pool_params(ctx);
  if (!q.is_ok()) return ctx.error(q.status().message());
  const Tensor& x = ctx.input(kX);
  bool ok = quant::visit_quant8(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    average_pool<T>(*q, x.data<T>(), ctx.output(0).template data<T>());
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "QLinearAveragePool", .domain = "com.microsoft", .since_version = 1,
               .infer = infer_qlinear_pool, .run = run_qlinear_pool);

}  // namespace ew
