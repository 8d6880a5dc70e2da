// GridSample (opsets 16, 20): samples X [N, C, d1..dr] at the normalized
// positions of grid [N, o1..or, r] (last axis in reverse axis order: x, y, ...)
// with nearest / (bi)linear / (bi)cubic interpolation and zeros, border or
// reflection padding, as PyTorch's grid_sample.
#include <cmath>

#include "ops/op.h"

namespace ew {
namespace {

enum class GridMode { kNearest, kLinear, kCubic };
enum class GridPadding { kZeros, kBorder, kReflection };

struct GridOptions {
  GridMode mode = GridMode::kLinear;
  GridPadding padding = GridPadding::kZeros;
  bool align_corners = false;
};

Result<GridOptions> grid_options(const Node& node, int64_t opset) {
  GridOptions o;
  std::string mode = node.attr_string("mode", opset >= 20 ? "linear" : "bilinear");
  if (mode == "nearest") o.mode = GridMode::kNearest;
  else if (mode == "bilinear" || mode == "linear") o.mode = GridMode::kLinear;
  else if (mode == "bicubic" || mode == "cubic") o.mode = GridMode::kCubic;
  else return invalid_argument("unknown mode '" + mode + "'");
  std::string pad = node.attr_string("padding_mode", "zeros");
  if (pad == "zeros") o.padding = GridPadding::kZeros;
  else if (pad == "border") o.padding = GridPadding::kBorder;
  else if (pad == "reflection") o.padding = GridPadding::kReflection;
  else return invalid_argument("unknown padding_mode '" + pad + "'");
  o.align_corners = node.attr_int("align_corners", 0) != 0;
  return o;
}

Status infer_grid_sample(InferContext& ctx) {
  const ValueType& x = ctx.input_type(0);
  const ValueType& grid = ctx.input_type(1);
  if (!is_float(x.dtype)) return ctx.error(std::string("unsupported type ") + dtype_name(x.dtype));
  if (!is_float(grid.dtype)) return ctx.error("grid must be a float tensor");
  auto opt = grid_options(ctx.node(), ctx.opset());
  if (!opt.is_ok()) return ctx.error(opt.status().message());
  if (!x.has_shape || !grid.has_shape) { ctx.set_output_dtype_only(0, x.dtype); return Status::ok(); }
  if (x.dims.size() < 3 || grid.dims.size() != x.dims.size()) return ctx.error("X and grid ranks do not match");
  const Dim& last = grid.dims.back();
  if (last.known() && last.value != static_cast<int64_t>(x.dims.size()) - 2)
    return ctx.error("grid's last dimension must equal the number of spatial axes");
  std::vector<Dim> out{x.dims[0], x.dims[1]};
  out.insert(out.end(), grid.dims.begin() + 1, grid.dims.end() - 1);
  ctx.set_output(0, x.dtype, out);
  return Status::ok();
}

// Reflects x into [lo, hi] by the nearest border, repeatedly.
double reflect(double x, double lo, double hi) {
  const double range = hi - lo;
  if (range <= 0) return lo;
  if (x >= lo && x <= hi) return x;
  const double dx = x < lo ? lo - x : x - hi;
  const double n = std::floor(dx / range);
  const double r = dx - n * range;
  const bool even = std::fmod(n, 2.0) == 0;
  if (x < lo) return even ? lo + r : hi - r;
  return even ? hi - r : lo + r;
}

struct AxisSample {
  int n = 0;
  int64_t index[4];  // -1: a zero (padding) tap
  double weight[4];
};

void cubic_coeffs(double r, double* c) {
  const double a = -0.75;
  auto far = [a](double t) { return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a; };
  auto near = [a](double t) { return ((a + 2) * t - (a + 3)) * t * t + 1; };
  c[0] = far(r + 1);
  c[1] = near(r);
  c[2] = near(1 - r);
  c[3] = far(2 - r);
}

// Taps of one axis for normalized coordinate g over extent d.
AxisSample sample_axis(const GridOptions& o, double g, int64_t d) {
  const double lo = o.align_corners ? 0.0 : -0.5;
  const double hi = o.align_corners ? static_cast<double>(d - 1) : static_cast<double>(d) - 0.5;
  double x = o.align_corners ? (g + 1) / 2 * static_cast<double>(d - 1) : ((g + 1) * static_cast<double>(d) - 1) / 2;
  if (o.mode == GridMode::kNearest) x = std::nearbyint(x);
  if (x < lo || x > hi) {
    if (o.padding == GridPadding::kBorder) x = std::min(std::max(x, 0.0), static_cast<double>(d - 1));
    else if (o.padding == GridPadding::kReflection) x = reflect(x, lo, hi);
  }
  auto pixel = [&](int64_t i) -> int64_t {
    if (o.padding == GridPadding::kZeros) return i >= 0 && i < d ? i : -1;
    if (o.padding == GridPadding::kReflection) i = static_cast<int64_t>(reflect(static_cast<double>(i), lo, hi));
    return std::min<int64_t>(std::max<int64_t>(i, 0), d - 1);
  };
  AxisSample s;
  if (!std::isfinite(x)) {
    s.n = 1;
    s.index[0] = o.padding == GridPadding::kZeros ? -1 : 0;
    s.weight[0] = 1;
    return s;
  }
  const double f = std::floor(x);
  const int64_t x0 = static_cast<int64_t>(f);
  if (o.mode == GridMode::kNearest) {
    s.n = 1;
    s.index[0] = pixel(static_cast<int64_t>(x));
    s.weight[0] = 1;
  } else if (o.mode == GridMode::kLinear) {
    s.n = 2;
    s.index[0] = pixel(x0);
    s.index[1] = pixel(x0 + 1);
    s.weight[0] = 1 - (x - f);
    s.weight[1] = x - f;
  } else {
    s.n = 4;
    cubic_coeffs(x - f, s.weight);
    for (int t = 0; t < 4; ++t) s.index[t] = pixel(x0 - 1 + t);
  }
  return s;
}

template <typename T, typename G>
void grid_sample_typed(const Tensor& x, const Tensor& grid, const GridOptions& o, Tensor& y) {
  const int64_t r = x.rank() - 2, N = x.dim(0), C = x.dim(1);
  int64_t plane = 1, points = 1;
  for (int64_t a = 0; a < r; ++a) plane *= x.dim(2 + a);
  for (int64_t a = 0; a < r; ++a) points *= grid.dim(1 + a);
  std::vector<int64_t> strides(static_cast<size_t>(r), 1);
  for (int64_t a = r - 2; a >= 0; --a) strides[a] = strides[a + 1] * x.dim(3 + a);
  std::vector<AxisSample> axes(static_cast<size_t>(r));
  std::vector<int> tap(static_cast<size_t>(r));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t p = 0; p < points; ++p) {
      const G* g = grid.data<G>() + (n * points + p) * r;
      for (int64_t a = 0; a < r; ++a) axes[a] = sample_axis(o, static_cast<double>(g[r - 1 - a]), x.dim(2 + a));
      for (int64_t c = 0; c < C; ++c) {
        const T* src = x.data<T>() + (n * C + c) * plane;
        double sum = 0;
        std::fill(tap.begin(), tap.end(), 0);
        while (true) {
          double w = 1;
          int64_t off = 0;
          for (int64_t a = 0; a < r && off >= 0; ++a) {
            const int64_t i = axes[a].index[tap[a]];
            w *= axes[a].weight[tap[a]];
            off = i < 0 ? -1 : off + i * strides[a];
          }
          if (off >= 0 && w != 0) sum += w * static_cast<double>(static_cast<compute_t<T>>(src[off]));
          int64_t a = r - 1;
          while (a >= 0 && ++tap[a] == axes[a].n) tap[a--] = 0;
          if (a < 0) break;
        }
        y.data<T>()[(n * C + c) * points + p] = T(static_cast<compute_t<T>>(sum));
      }
    }
}

Status run_grid_sample(KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& grid = ctx.input(1);
  auto opt = grid_options(ctx.node(), ctx.opset());
  if (!opt.is_ok()) return ctx.error(opt.status().message());
  if (x.rank() < 3 || grid.rank() != x.rank() || grid.dim(0) != x.dim(0) || grid.shape().back() != x.rank() - 2)
    return ctx.error("grid " + grid.describe() + " does not match X " + x.describe());
  for (int64_t a = 2; a < x.rank(); ++a)
    if (x.dim(a) == 0 && ctx.output(0).numel() > 0) return ctx.error("cannot sample an empty axis");
  bool ok = visit_float(x.dtype(), [&](auto xt) {
    visit_float(grid.dtype(), [&](auto gt) {
      grid_sample_typed<typename decltype(xt)::type, typename decltype(gt)::type>(x, grid, *opt, ctx.output(0));
    });
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(x.dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "GridSample", .since_version = 16, .infer = infer_grid_sample, .run = run_grid_sample);

}  // namespace ew
