// RoiAlign (opsets 10, 16): pools each region of interest into an
// output_height x output_width grid of bins; each bin averages (or takes the
// max of) bilinear samples on a regular sub-grid. Follows the Caffe2 /
// ONNX reference algorithm, including its max mode (the max over samples of
// the largest weighted corner).
#include <cmath>

#include "ops/op.h"

namespace ew {
namespace {

struct RoiOptions {
  bool max_mode = false;
  bool half_pixel = false;
  int64_t out_h = 1, out_w = 1, sampling_ratio = 0;
  double spatial_scale = 1.0;
};

Result<RoiOptions> roi_options(const Node& node, int64_t opset) {
  RoiOptions o;
  std::string mode = node.attr_string("mode", "avg");
  if (mode != "avg" && mode != "max") return invalid_argument("unknown mode '" + mode + "'");
  o.max_mode = mode == "max";
  std::string ct = opset >= 16 ? node.attr_string("coordinate_transformation_mode", "half_pixel") : "output_half_pixel";
  if (ct != "half_pixel" && ct != "output_half_pixel")
    return invalid_argument("unknown coordinate_transformation_mode '" + ct + "'");
  o.half_pixel = ct == "half_pixel";
  o.out_h = node.attr_int("output_height", 1);
  o.out_w = node.attr_int("output_width", 1);
  o.sampling_ratio = node.attr_int("sampling_ratio", 0);
  o.spatial_scale = node.attr_float("spatial_scale", 1.0f);
  if (o.out_h < 1 || o.out_w < 1 || o.out_h > (1 << 20) || o.out_w > (1 << 20))
    return invalid_argument("output_height and output_width must be positive");
  if (o.sampling_ratio < 0 || o.sampling_ratio > (1 << 10)) return invalid_argument("sampling_ratio is out of range");
  return o;
}

Status infer_roi_align(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  if (!is_float(x.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype));
  if (ctx.input_type(1).dtype != x.dtype) return ctx.error("rois type differs from X");
  if (ctx.input_type(2).dtype != DType::kInt64) return ctx.error("batch_indices must be int64");
  auto o = roi_options(ctx.node(), ctx.opset());
  if (!o.is_ok()) return ctx.error(o.status().message());
  if (x.has_shape && x.dims.size() != 4) return ctx.error("X must be 4-D");
  const ValueType& rois = ctx.input_type(1);
  if (rois.has_shape && rois.dims.size() != 2) return ctx.error("rois must be 2-D");
  Dim r = rois.has_shape ? rois.dims[0] : Dim();
  Dim c = x.has_shape ? x.dims[1] : Dim();
  ctx.set_output(0, x.dtype, std::vector<Dim>{r, c, Dim(o->out_h), Dim(o->out_w)});
  return Status::ok();
}

struct Sample {
  int64_t pos[4];
  double w[4];
};

// Bilinear sample at (y, x) as the reference computes it; zero weights outside [-1, size].
Sample bilinear_sample(double y, double x, int64_t height, int64_t width) {
  Sample s{{0, 0, 0, 0}, {0, 0, 0, 0}};
  if (y < -1.0 || y > static_cast<double>(height) || x < -1.0 || x > static_cast<double>(width)) return s;
  y = std::max(y, 0.0);
  x = std::max(x, 0.0);
  int64_t y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x), y1, x1;
  if (y0 >= height - 1) { y1 = y0 = height - 1; y = static_cast<double>(y0); } else { y1 = y0 + 1; }
  if (x0 >= width - 1) { x1 = x0 = width - 1; x = static_cast<double>(x0); } else { x1 = x0 + 1; }
  const double ly = y - static_cast<double>(y0), lx = x - static_cast<double>(x0), hy = 1 - ly, hx = 1 - lx;
  s.pos[0] = y0 * width + x0;
  s.pos[1] = y0 * width + x1;
  s.pos[2] = y1 * width + x0;
  s.pos[3] = y1 * width + x1;
  s.w[0] = hy * hx;
  s.w[1] = hy * lx;
  s.w[2] = ly * hx;
  s.w[3] = ly * lx;
  return s;
}

template <typename T>
Status roi_align_typed(KernelContext& ctx, const RoiOptions& o) {
  const Tensor& x = ctx.input(0);
  const int64_t C = x.dim(1), H = x.dim(2), W = x.dim(3), R = ctx.input(1).dim(0);
  const T* rois = ctx.input(1).data<T>();
  T* out = ctx.output(0).data<T>();
  std::vector<Sample> samples;
  for (int64_t r = 0; r < R; ++r) {
    const int64_t b = ctx.input(2).get_int64(r);
    if (b < 0 || b >= x.dim(0)) return ctx.error("batch index " + std::to_string(b) + " is out of range");
    const double offset = o.half_pixel ? 0.5 : 0.0;
    double box[4];
    for (int k = 0; k < 4; ++k) box[k] = static_cast<double>(static_cast<compute_t<T>>(rois[r * 4 + k])) * o.spatial_scale - offset;
    double rw = box[2] - box[0], rh = box[3] - box[1];
    if (!o.half_pixel) { rw = std::max(rw, 1.0); rh = std::max(rh, 1.0); }
    if (!std::isfinite(rw) || !std::isfinite(rh)) return ctx.error("roi coordinates are not finite");
    const double bin_h = rh / static_cast<double>(o.out_h), bin_w = rw / static_cast<double>(o.out_w);
    const double gh = o.sampling_ratio > 0 ? static_cast<double>(o.sampling_ratio) : std::ceil(bin_h);
    const double gw = o.sampling_ratio > 0 ? static_cast<double>(o.sampling_ratio) : std::ceil(bin_w);
    if (gh * gw * static_cast<double>(o.out_h * o.out_w) > double(1 << 26)) return ctx.error("roi is too large to sample");
    const int64_t grid_h = std::max<int64_t>(static_cast<int64_t>(gh), 0), grid_w = std::max<int64_t>(static_cast<int64_t>(gw), 0);
    samples.clear();
    for (int64_t ph = 0; ph < o.out_h; ++ph)
      for (int64_t pw = 0; pw < o.out_w; ++pw)
        for (int64_t iy = 0; iy < grid_h; ++iy) {
          const double y = box[1] + static_cast<double>(ph) * bin_h + (static_cast<double>(iy) + 0.5) * bin_h / static_cast<double>(grid_h);
          for (int64_t ix = 0; ix < grid_w; ++ix) {
            const double xx = box[0] + static_cast<double>(pw) * bin_w + (static_cast<double>(ix) + 0.5) * bin_w / static_cast<double>(grid_w);
            samples.push_back(bilinear_sample(y, xx, H, W));
          }
        }
    const int64_t per_bin = grid_h * grid_w;
    const double count = static_cast<double>(std::max<int64_t>(per_bin, 1));
    for (int64_t c = 0; c < C; ++c) {
      const T* src = x.data<T>() + (b * C + c) * H * W;
      for (int64_t bin = 0; bin < o.out_h * o.out_w; ++bin) {
        double acc = 0;
        for (int64_t k = 0; k < per_bin; ++k) {
          const Sample& s = samples[bin * per_bin + k];
          double v[4];
          for (int t = 0; t < 4; ++t) v[t] = s.w[t] * static_cast<double>(static_cast<compute_t<T>>(src[s.pos[t]]));
          if (o.max_mode) {
            double m = std::max(std::max(v[0], v[1]), std::max(v[2], v[3]));
            acc = k == 0 ? m : std::max(acc, m);
          } else {
            acc += v[0] + v[1] + v[2] + v[3];
          }
        }
        out[(r * C + c) * o.out_h * o.out_w + bin] = T(static_cast<compute_t<T>>(o.max_mode ? acc : acc / count));
      }
    }
  }
  return Status::ok();
}

Status run_roi_align(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  auto o = roi_options(ctx.node(), ctx.opset());
  if (!o.is_ok()) return ctx.error(o.status().message());
  const Tensor& rois = ctx.input(1);
  const Tensor& idx = ctx.input(2);
  if (x.rank() != 4) return ctx.error("X must be 4-D, got " + x.describe());
  if (rois.rank() != 2 || rois.dim(1) != 4) return ctx.error("rois must be [num_rois, 4], got " + rois.describe());
  if (idx.rank() != 1 || idx.dim(0) != rois.dim(0)) return ctx.error("batch_indices must be [num_rois], got " + idx.describe());
  if (rois.dtype() != x.dtype()) return ctx.error("rois type differs from X");
  if ((x.dim(2) == 0 || x.dim(3) == 0) && rois.dim(0) > 0 && x.dim(1) > 0) return ctx.error("X has an empty spatial axis");
  Status st = Status::ok();
  bool ok = visit_float(x.dtype(), [&](auto tag) { st = roi_align_typed<typename decltype(tag)::type>(ctx, *o); });
  if (!ok) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
  return st;
}

}  // namespace

EW_REGISTER_OP(.op_type = "RoiAlign", .since_version = 10, .infer = infer_roi_align, .run = run_roi_align);

}  // namespace ew
