// Resampling shared by Resize and Upsample. Every axis is resampled
// independently: per output coordinate it maps back to an input coordinate
// (coordinate_transformation_mode) and reads a few taps with weights
// (nearest: 1, linear: 2, cubic: 4, antialiased: a widened kernel).
// Nearest is an exact gather for every dtype; linear and cubic run one
// separable pass per resampled axis in the compute type.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/tensor.h"

namespace ew {

enum class ResizeMode { kNearest, kLinear, kCubic };

struct ResizeOptions {
  ResizeMode mode = ResizeMode::kNearest;
  std::string coordinate_mode = "half_pixel";
  std::string nearest_mode = "round_prefer_floor";  // or "legacy": floor upsampling, ceil downsampling
  double cubic_a = -0.75;
  bool exclude_outside = false;
  double extrapolation_value = 0.0;
  bool antialias = false;
  std::vector<double> scales;  // per axis
  std::vector<double> roi;     // starts then ends, per axis (tf_crop_and_resize); empty: [0, 1]
};

// Taps of one axis: for output coordinate o, index[o*taps + t] with weight[o*taps + t];
// outside[o] marks coordinates that take the extrapolation value.
struct AxisTapTable {
  int64_t taps = 1;
  std::vector<int64_t> index;
  std::vector<double> weight;
  std::vector<char> outside;
  bool identity = false;  // every output reads exactly its own input position
};

namespace resize_detail {

// `out` is the unrounded output extent in * scale, as the ONNX reference uses it; out_int the real one.
inline double original_coordinate(const ResizeOptions& opt, size_t axis, int64_t o, int64_t in, double out,
                                  int64_t out_int) {
  const double scale = opt.scales[axis];
  const double x = static_cast<double>(o);
  const std::string& m = opt.coordinate_mode;
  if (m == "asymmetric") return x / scale;
  if (m == "align_corners") return out == 1 ? 0.0 : x * static_cast<double>(in - 1) / (out - 1);
  if (m == "pytorch_half_pixel") return out > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (m == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  if (m == "half_pixel_symmetric") {
    const double adjustment = static_cast<double>(out_int) / out;
    const double center = static_cast<double>(in) / 2;
    return center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
  }
  if (m == "tf_crop_and_resize") {
    const size_t n = opt.scales.size();
    const double start = opt.roi.empty() ? 0.0 : opt.roi[axis];
    const double end = opt.roi.empty() ? 1.0 : opt.roi[axis + n];
    const double span = static_cast<double>(in - 1);
    if (out > 1) return start * span + x * (end - start) * span / (out - 1);
    return 0.5 * (start + end) * span;
  }
  return (x + 0.5) / scale - 0.5;  // half_pixel
}

inline int64_t nearest_index(const std::string& mode, double x, double scale) {
  const double f = std::floor(x);
  if (mode == "floor") return static_cast<int64_t>(f);
  if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
  if (mode == "legacy") return static_cast<int64_t>(scale < 1.0 ? std::ceil(x) : f);
  if (x - f == 0.5) return static_cast<int64_t>(mode == "round_prefer_ceil" ? f + 1 : f);
  return static_cast<int64_t>(std::round(x));
}

inline double cubic_weight(double t, double a) {
  t = std::abs(t);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

// Fills the taps of output coordinate o for a linear or cubic kernel at input coordinate x.
inline void interpolation_taps(const ResizeOptions& opt, double x, double scale, int64_t in, int64_t taps,
                               int64_t* index, double* weight) {
  const bool cubic = opt.mode == ResizeMode::kCubic;
  const double support = cubic ? 2.0 : 1.0;
  const double s = opt.antialias && scale < 1.0 ? scale : 1.0;
  const double f = std::floor(x), r = x - f;
  const int64_t start = static_cast<int64_t>(std::floor(-support / s)) + 1;
  double sum = 0;
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t i = start + t;
    const int64_t p = static_cast<int64_t>(f) + i;
    double w = 0;
    if (i < 2 - start) {
      const double d = (static_cast<double>(i) - r) * s;
      w = cubic ? cubic_weight(d, opt.cubic_a) : std::max(0.0, 1.0 - std::abs(d));
    }
    if (opt.exclude_outside && (p < 0 || p >= in)) w = 0;
    index[t] = std::min(std::max<int64_t>(p, 0), in - 1);
    weight[t] = w;
    sum += w;
  }
  if ((opt.exclude_outside || s < 1.0) && sum != 0)
    for (int64_t t = 0; t < taps; ++t) weight[t] /= sum;
}

}  // namespace resize_detail

inline AxisTapTable make_axis_taps(const ResizeOptions& opt, size_t axis, int64_t in, int64_t out) {
  using namespace resize_detail;
  AxisTapTable tab;
  const double scale = opt.scales[axis];
  if (opt.mode != ResizeMode::kNearest) {
    const double support = opt.mode == ResizeMode::kCubic ? 2.0 : 1.0;
    const double s = opt.antialias && scale < 1.0 ? scale : 1.0;
    tab.taps = 2 - 2 * (static_cast<int64_t>(std::floor(-support / s)) + 1);
  }
  tab.index.resize(static_cast<size_t>(out * tab.taps));
  tab.weight.resize(static_cast<size_t>(out * tab.taps));
  tab.outside.resize(static_cast<size_t>(out));
  tab.identity = in == out;
  for (int64_t o = 0; o < out; ++o) {
    double x = original_coordinate(opt, axis, o, in, static_cast<double>(in) * scale, out);
    if (opt.coordinate_mode == "tf_crop_and_resize" && (x < 0 || x > static_cast<double>(in - 1))) {
      tab.outside[o] = 1;
      tab.identity = false;
    }
    int64_t* index = &tab.index[o * tab.taps];
    double* weight = &tab.weight[o * tab.taps];
    if (opt.mode == ResizeMode::kNearest) {
      index[0] = std::min(std::max<int64_t>(nearest_index(opt.nearest_mode, x, scale), 0), in - 1);
      weight[0] = 1;
    } else {
      interpolation_taps(opt, x, scale, in, tab.taps, index, weight);
    }
    for (int64_t t = 0; t < tab.taps; ++t)
      if (weight[t] != 0 && (index[t] != o || weight[t] != 1)) tab.identity = false;
  }
  return tab;
}

// y[outer, o, inner] = sum_t w * x[outer, index, inner] along one axis.
template <typename C>
void resample_axis(const C* x, int64_t outer, int64_t in, int64_t inner, const AxisTapTable& tab, int64_t out,
                   C extrapolation, C* y) {
  for (int64_t b = 0; b < outer; ++b) {
    const C* src = x + b * in * inner;
    for (int64_t o = 0; o < out; ++o) {
      C* dst = y + (b * out + o) * inner;
      if (tab.outside[o]) {
        for (int64_t i = 0; i < inner; ++i) dst[i] = extrapolation;
        continue;
      }
      for (int64_t i = 0; i < inner; ++i) dst[i] = C(0);
      for (int64_t t = 0; t < tab.taps; ++t) {
        const C w = static_cast<C>(tab.weight[o * tab.taps + t]);
        if (w == C(0)) continue;
        const C* row = src + tab.index[o * tab.taps + t] * inner;
        for (int64_t i = 0; i < inner; ++i) dst[i] += w * row[i];
      }
    }
  }
}

// Nearest-neighbour gather: exact for every dtype.
template <typename T>
void resize_nearest(const Tensor& x, const std::vector<AxisTapTable>& tabs, T extrapolation, Tensor& y) {
  const Shape& out = y.shape();
  const size_t rank = out.size();
  if (y.numel() == 0) return;
  std::vector<int64_t> in_strides = shape_strides(x.shape()), idx(rank, 0);
  const T* src = x.data<T>();
  T* dst = y.data<T>();
  for (int64_t e = 0; e < y.numel(); ++e) {
    int64_t off = 0;
    bool outside = false;
    for (size_t a = 0; a < rank; ++a) {
      outside = outside || tabs[a].outside[idx[a]];
      off += tabs[a].index[idx[a]] * in_strides[a];
    }
    dst[e] = outside ? extrapolation : src[off];
    for (int64_t a = static_cast<int64_t>(rank) - 1; a >= 0; --a) {
      if (++idx[a] < out[a]) break;
      idx[a] = 0;
    }
  }
}

// Linear / cubic: separable passes over the axes that are not identities.
template <typename T>
void resize_interpolate(const Tensor& x, const std::vector<AxisTapTable>& tabs, double extrapolation, Tensor& y) {
  using C = std::conditional_t<std::is_same_v<T, double> || std::is_integral_v<T>, double, float>;
  Shape cur = x.shape();
  std::vector<C> a(static_cast<size_t>(x.numel())), b;
  for (int64_t i = 0; i < x.numel(); ++i) a[i] = static_cast<C>(static_cast<compute_t<T>>(x.data<T>()[i]));
  const Shape& out = y.shape();
  for (size_t axis = 0; axis < cur.size(); ++axis) {
    if (tabs[axis].identity && cur[axis] == out[axis]) continue;
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis; ++i) outer *= cur[i];
    for (size_t i = axis + 1; i < cur.size(); ++i) inner *= cur[i];
    b.assign(static_cast<size_t>(outer * out[axis] * inner), C(0));
    resample_axis<C>(a.data(), outer, cur[axis], inner, tabs[axis], out[axis], static_cast<C>(extrapolation), b.data());
    cur[axis] = out[axis];
    a.swap(b);
  }
  T* dst = y.data<T>();
  for (int64_t i = 0; i < y.numel(); ++i) {
    if constexpr (std::is_integral_v<T>) {
      double v = std::nearbyint(static_cast<double>(a[i]));
      v = std::min(std::max(v, static_cast<double>(std::numeric_limits<T>::lowest())),
                   static_cast<double>(std::numeric_limits<T>::max()));
      dst[i] = static_cast<T>(v);
    } else {
      dst[i] = T(a[i]);
    }
  }
}

// Runs the resampling of x into the preallocated y.
inline bool resize_tensor(const Tensor& x, const ResizeOptions& opt, Tensor& y) {
  std::vector<AxisTapTable> tabs;
  for (size_t a = 0; a < static_cast<size_t>(x.rank()); ++a)
    tabs.push_back(make_axis_taps(opt, a, x.dim(a), y.dim(a)));
  return visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, bool>) {
      resize_nearest<T>(x, tabs, opt.extrapolation_value != 0, y);
    } else {
      if (opt.mode == ResizeMode::kNearest)
        resize_nearest<T>(x, tabs, T(static_cast<compute_t<T>>(opt.extrapolation_value)), y);
      else
        resize_interpolate<T>(x, tabs, opt.extrapolation_value, y);
    }
  });
}

}  // namespace ew
