// Fast 2-D MaxPool (dilation 1) on int8 / uint8 NCHW tensors, the pools of
// quantized models once the QDQ around them is dropped: per output row, the
// window's input rows are reduced elementwise into one row (contiguous, so
// the compiler vectorizes it), then each output takes the max of its
// columns. Exact, like any max; padding is never read.
#include <algorithm>
#include <limits>
#include <vector>

#include "ops/fast/prepare_util.h"
#include "ops/nn/conv_geometry.h"

namespace ew::fast {
namespace {

// Input rows (or columns) [lo, hi) read by each output row (or column): with
// dilation 1 a window's valid taps are consecutive.
struct Span {
  std::vector<int64_t> lo, hi;
  Span(int64_t in, int64_t out, int64_t k, int64_t s, int64_t pb) {
    for (int64_t o = 0; o < out; ++o) {
      lo.push_back(std::clamp<int64_t>(o * s - pb, 0, in));
      hi.push_back(std::clamp<int64_t>(o * s - pb + k, 0, in));
    }
  }
};

template <typename T>
void max_rows(const T* __restrict in, T* __restrict row, int64_t n) {
  for (int64_t c = 0; c < n; ++c) row[c] = in[c] > row[c] ? in[c] : row[c];
}

template <typename T>
class Int8MaxPoolKernel final : public PreparedKernel {
 public:
  Int8MaxPoolKernel(const Window3& w, int64_t planes)
      : w(w), planes(planes), rows(w.in[1], w.out[1], w.k[1], w.s[1], w.pb[1]),
        cols(w.in[2], w.out[2], w.k[2], w.s[2], w.pb[2]), row(static_cast<size_t>(w.in[2])) {}

  Status run(KernelContext& ctx) override {
    const T* x = ctx.input(0).data<T>();
    T* y = ctx.output(0).data<T>();
    const int64_t W = w.in[2];
    for (int64_t p = 0; p < planes; ++p) {
      const T* plane = x + p * w.in[1] * W;
      for (int64_t oh = 0; oh < w.out[1]; ++oh) {
        std::fill(row.begin(), row.end(), std::numeric_limits<T>::lowest());
        for (int64_t r = rows.lo[oh]; r < rows.hi[oh]; ++r) max_rows(plane + r * W, row.data(), W);
        T* out = y + (p * w.out[1] + oh) * w.out[2];
        for (int64_t ow = 0; ow < w.out[2]; ++ow) {
          T m = std::numeric_limits<T>::lowest();
          for (int64_t c = cols.lo[ow]; c < cols.hi[ow]; ++c) m = std::max(m, row[c]);
          out[ow] = m;
        }
      }
    }
    return Status::ok();
  }

 private:
  Window3 w;
  int64_t planes;
  Span rows, cols;
  std::vector<T> row;
};

template <typename T>
Prepared make_kernel(const Window3& w, int64_t planes) {
  return prepared(std::make_unique<Int8MaxPoolKernel<T>>(w, planes));
}

Prepared prepare_int8_max_pool(const PrepareContext& ctx) {
  if (!has_input(ctx, 0) || !ctx.input_types[0].fully_known() || ctx.node.outputs.size() != 1) return not_handled();
  const DType t = ctx.input_types[0].dtype;
  if (t != DType::kInt8 && t != DType::kUInt8) return not_handled();
  if (ctx.node.attr_int("storage_order", 0) != 0) return not_handled();
  const Shape x = input_shape(ctx, 0);
  const std::vector<int64_t> kernel = ctx.node.attr_ints("kernel_shape");
  if (x.size() != 4 || kernel.size() != 2) return not_handled();
  auto geometry = read_window_geometry(ctx.node, kernel);
  if (!geometry.is_ok()) return not_handled();
  WindowGeometry& g = *geometry;
  const Shape in{x[2], x[3]};
  Shape out;
  for (size_t i = 0; i < 2; ++i) {
    auto o = window_output_size(g, i, in[i]);
    if (!o.is_ok()) return not_handled();
    out.push_back(*o);
  }
  if (ctx.output_types[0].concrete_shape() != Shape{x[0], x[1], out[0], out[1]}) return not_handled();
  for (int64_t d : g.dilations) if (d != 1) return not_handled();
  const Window3 w = to_window3(g, in, out);
  return t == DType::kInt8 ? make_kernel<int8_t>(w, x[0] * x[1]) : make_kernel<uint8_t>(w, x[0] * x[1]);
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "MaxPool", .since_version = 12, .name = "int8_maxpool",
                        .prepare = prepare_int8_max_pool);

}  // namespace ew::fast
