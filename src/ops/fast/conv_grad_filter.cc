// Fast ConvGradFilter(dY, X, W_like) -> dW: per chunk of images and group,
// dW_g[Mg, K] += dY_g[Mg, cols] · colᵀ[cols, K] on sgemm (conv_gemm.h; the
// chunk's images side by side make one long reduction), with colᵀ gathered
// straight into sgemm's packed layout from X or a zero-bordered copy. The
// batch is cut into at most kSlots contiguous slots, each summed in its own
// buffer (the first in dW itself; slots run in parallel on the session's
// pool), then the slots are added in order: the cut
// does not depend on the thread count, so neither do the results. The bias
// gradient (optional output 1) is summed per slot from each chunk's dY rows
// right after its GEMM, while they are in cache.
// Any group, stride, dilation and padding, 1 to 3 spatial axes; depthwise
// layers are offered to their own kernel first (priority).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/prepare_util.h"
#include "ops/fast/sgemm.h"
#include "ops/grad/grad_domain.h"

namespace ew::fast {
namespace {

constexpr int64_t kSlots = 4;

class ConvGradFilterKernel final : public PreparedKernel {
 public:
  ConvGemm c;
  Shape dy_shape, x_shape, w_shape;
  int64_t slots = 1;
  Tensor partial;  // slots 1.. : [slots - 1][group][Mg][K], dW's layout
  std::vector<double> bias;  // [slots][M]: the bias gradient's partial sums, when output 1 is wanted

  int64_t slot_size() const { return c.s.group * c.Mg * c.K; }

  Status run(KernelContext& ctx) override {
    const Tensor &dy = ctx.input(0), &x = ctx.input(1);
    if (dy.shape() != dy_shape || x.shape() != x_shape || ctx.output(0).shape() != w_shape)
      return ctx.error("sgemm: shapes differ from the prepared " + shape_to_string(dy_shape));
    float* dw = ctx.output(0).data<float>();
    const bool with_bias = !bias.empty() && ctx.has_output(1);
    if (with_bias && ctx.output(1).numel() != c.s.maps) return ctx.error("sgemm: dB must have M values");
    pthreadpool_t pool = ctx.threadpool();
    const bool parallel = pool && slots > 1;
    std::atomic<bool> failed{false};
    run_ranges(parallel ? pool : nullptr, slots, slots, [&](int64_t begin, int64_t end) {
      for (int64_t s = begin; s < end; ++s) {
        float* acc = s == 0 ? dw : partial.data<float>() + (s - 1) * slot_size();
        double* db = with_bias ? bias.data() + s * c.s.maps : nullptr;
        if (!run_slot(s, dy.data<float>(), x.data<float>(), acc, db, parallel ? nullptr : pool)) failed = true;
      }
    });
    if (failed) return resource_exhausted("ConvGradFilter sgemm: out of memory for scratch");
    for (int64_t s = 1; s < slots; ++s) {
      const float* more = partial.data<float>() + (s - 1) * slot_size();
      for (int64_t i = 0; i < slot_size(); ++i) dw[i] += more[i];
    }
    if (with_bias)
      for (int64_t m = 0; m < c.s.maps; ++m) {
        double sum = 0;
        for (int64_t s = 0; s < slots; ++s) sum += bias[s * c.s.maps + m];
        ctx.output(1).data<float>()[m] = static_cast<float>(sum);
      }
    return Status::ok();
  }

 private:
  bool run_slot(int64_t slot, const float* dy, const float* x, float* acc, double* db, pthreadpool_t pool) const {
    std::memset(acc, 0, sizeof(float) * slot_size());
    if (db) std::fill(db, db + c.s.maps, 0.0);
    const int64_t width = c.max_columns(), packed_size = packed_b_size(width, c.K);
    float* packed = thread_scratch(packed_size + c.Mg * width + c.padded_floats());
    if (!packed) return false;
    float* rows = packed + packed_size;
    float* padded = rows + c.Mg * width;
    for (int64_t chunk = c.chunks * slot / slots; chunk < c.chunks * (slot + 1) / slots; ++chunk) {
      const int64_t i0 = c.first_image(chunk), n = c.images(chunk), cols = n * c.P;
      for (int64_t g = 0; g < c.s.group; ++g) {
        SgemmShape s;  // dW_g[Mg, K] += dY_g[Mg, cols] · colᵀ[cols, K]
        s.M = c.Mg;
        s.N = c.K;
        s.K = cols;
        s.ldc = c.K;
        s.accumulate = true;
        const float* a = rows;
        if (n == 1) {
          a = dy + (i0 * c.s.maps + g * c.Mg) * c.P;
          s.rsa = c.P;
        } else {
          gather_rows(dy, c.s.maps, c.P, i0, n, g * c.Mg, c.Mg, rows, cols);
          s.rsa = cols;
        }
        pack_col_transposed(c, gather_source(c, x, i0, n, g, padded), n, packed);
        sgemm(s, a, packed, acc + g * c.Mg * c.K, pool);
        if (db)  // the chunk's dY rows are still in cache
          for (int64_t m = g * c.Mg; m < (g + 1) * c.Mg; ++m)
            for (int64_t i = i0; i < i0 + n; ++i) db[m] += sum_floats(dy + (i * c.s.maps + m) * c.P, c.P);
      }
    }
    return true;
  }
};

Prepared prepare_conv_grad_filter(const PrepareContext& ctx) {
  for (int i = 0; i < 3; ++i)
    if (!is_f32(ctx, i)) return not_handled();
  auto k = std::make_unique<ConvGradFilterKernel>();
  k->dy_shape = input_shape(ctx, 0);
  k->x_shape = input_shape(ctx, 1);
  k->w_shape = input_shape(ctx, 2);
  auto geometry = conv_grad_shape(ctx.node, k->x_shape, k->w_shape, k->dy_shape);
  if (!geometry.is_ok()) return not_handled();
  if (!make_conv_gemm(*geometry, &k->c)) return not_handled();
  k->slots = std::max<int64_t>(1, std::min(kSlots, k->c.chunks));
  if (ctx.output_types.size() > 1 && ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty()) {
    if (ctx.output_types[1].concrete_shape() != Shape{k->c.s.maps}) return not_handled();
    k->bias.assign(static_cast<size_t>(k->slots * k->c.s.maps), 0.0);
  }
  EW_ASSIGN_OR_RETURN(k->partial, scratch_floats((k->slots - 1) * k->slot_size()));
  return prepared(std::move(k));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "ConvGradFilter", .domain = kGradDomain, .name = "sgemm",
                        .prepare = prepare_conv_grad_filter);

}  // namespace ew::fast
