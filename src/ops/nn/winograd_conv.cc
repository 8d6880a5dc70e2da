// WinogradConv: scratch sizing, threading and the NCHW copy-in / epilogue.
#include "ops/nn/winograd_conv.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ew {
namespace {

// Budget for one worker's V block (transformed input); measured best around
// 12 tiles of 64 channels. Blocks keep at least 8 tiles so the GEMM reuses
// each weight panel.
constexpr int64_t kBlockBytes = 192 * 1024;

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// n floats (a multiple of 16) rounded up to an odd number of 64-byte lines.
int64_t odd_lines(int64_t n) { return (n / 16 | 1) * 16; }

// FusedActivation::apply, with the common cheap cases as plain loops the
// compiler vectorizes.
void apply_activation(const FusedActivation& a, float* x, int64_t n) {
  using Kind = FusedActivation::Kind;
  const float lo = a.alpha, hi = a.beta;
  if (a.kind == Kind::kNone) return;
  if (a.kind == Kind::kRelu) {
    for (int64_t i = 0; i < n; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
  } else if (a.kind == Kind::kClip) {
    for (int64_t i = 0; i < n; ++i) x[i] = std::min(std::max(x[i], lo), hi);
  } else {
    a.apply(x, n);
  }
}

// One worker's share: tile rows [row0, row1) and output channel blocks
// [kb0, kb1), with its own padded input band, staging band and V/M blocks, so
// a run is one parallel call with no barrier between the phases. In batch
// mode each worker takes whole images (all rows and channels) instead.
struct Worker {
  int64_t row0, row1, kb0, kb1;
  WinogradDims d;  // dims of the band: tiles_h = row1 - row0
  std::vector<float> padded, staged, v, m;
  const float* x = nullptr;  // the image being computed (and its Z, output)
  const float* z = nullptr;
  float* y = nullptr;
};

class WinogradConv : public PreparedKernel {
 public:
  WinogradConv(const WinogradConvParams& p, const WinogradKernels& k) : p_(p), k_(k) {}
  void init();
  Status run(KernelContext& ctx) override;

 private:
  static void worker_task(void* self, size_t w);
  static void batch_task(void* self, size_t w);
  void compute(Worker& w) const;
  void set_image(Worker& w, int64_t n) const;
  void copy_in(Worker& w) const;
  void epilogue(const Worker& w) const;

  WinogradConvParams p_;
  const WinogradKernels& k_;
  Status load_inputs(KernelContext& ctx);

  std::vector<float> u_, bias_;  // copies: the constants need not outlive prepare
  WinogradDims dims_;            // of the whole image (U's padding)
  std::vector<Worker> workers_;
  bool batch_mode_ = false;  // workers split the batch, each computing whole images
  // The run's tensors, read by the workers.
  const float* x_ = nullptr;
  const float* z_ = nullptr;
  float* y_ = nullptr;
};

void WinogradConv::init() {
  const float* weights = p_.weights;
  WinogradDims d;
  d.cin_pad = round_up(p_.cin, kWinogradLanes);
  d.cout_pad = round_up(p_.cout, kWinogradLanes);
  d.tiles_h = (p_.out_height + 3) / 4;
  d.tiles_w = (p_.out_width + 3) / 4;
  d.staged_w = 4 * d.tiles_w;
  d.padded_w = d.staged_w + 2;
  if (p_.bias) bias_.assign(p_.bias, p_.bias + p_.cout);
  if (p_.bias_input >= 0) bias_.assign(static_cast<size_t>(p_.cout), 0.0f);
  p_.bias = nullptr;
  p_.weights = nullptr;
  u_.resize(static_cast<size_t>(kWinogradPoints * d.cin_pad * d.cout_pad));
  if (weights) winograd_transform_weights(weights, p_.cout, p_.cin, d, u_.data());
  dims_ = d;

  // With at least two images per thread, workers split the batch (no
  // barrier per image, no input transformed twice). Else split tile rows
  // between workers when there are enough tiles, else output channels (each
  // worker then transforms the whole input itself).
  const int64_t kblocks = d.cout_pad / kWinogradLanes;
  int64_t n = static_cast<int64_t>(std::max<size_t>(1, p_.threads));
  batch_mode_ = n > 1 && p_.batch >= 2 * n;
  const bool by_rows = !batch_mode_ && d.tiles_h >= n && d.tiles() >= n * 24;
  if (!batch_mode_ && !by_rows && kblocks < n) n = 1;
  int64_t tb = kBlockBytes / (int64_t{4} * kWinogradPoints * d.cin_pad);
  tb = tb >= 12 ? tb / 12 * 12 : std::max<int64_t>(tb, 8);
  for (int64_t i = 0; i < n; ++i) {
    Worker w{0, d.tiles_h, 0, kblocks, d, {}, {}, {}, {}};
    if (batch_mode_) {
      // whole images
    } else if (by_rows) {
      w.row0 = d.tiles_h * i / n;
      w.row1 = d.tiles_h * (i + 1) / n;
    } else {
      w.kb0 = kblocks * i / n;
      w.kb1 = kblocks * (i + 1) / n;
    }
    w.d.tiles_h = w.row1 - w.row0;
    w.d.staged_h = 4 * w.d.tiles_h;
    w.d.padded_h = w.d.staged_h + 2;
    w.d.block_tiles = std::min(tb, w.d.tiles());
    w.d.v_point_stride = odd_lines(w.d.block_tiles * d.cin_pad);
    w.d.m_point_stride = odd_lines(w.d.block_tiles * d.cout_pad);
    w.padded.assign(static_cast<size_t>(d.cin_pad * w.d.padded_h * d.padded_w), 0.0f);
    w.staged.assign(static_cast<size_t>(d.cout_pad * w.d.staged_h * d.staged_w), 0.0f);
    w.v.assign(static_cast<size_t>(kWinogradPoints * w.d.v_point_stride), 0.0f);
    w.m.assign(static_cast<size_t>(kWinogradPoints * w.d.m_point_stride), 0.0f);
    workers_.push_back(std::move(w));
  }
}

// Copies the input rows of the band into its padded, channel-blocked buffer
// (rows and columns outside the input stay zero from init).
void WinogradConv::copy_in(Worker& w) const {
  const WinogradDims& d = w.d;
  const int64_t row_stride = d.padded_w * kWinogradLanes;
  for (int64_t c0 = 0; c0 < p_.cin; c0 += kWinogradLanes) {
    const int64_t lanes = std::min<int64_t>(kWinogradLanes, p_.cin - c0);
    float* plane = w.padded.data() + c0 * d.padded_h * d.padded_w;
    for (int64_t r = 0; r < d.padded_h; ++r) {
      const int64_t y = 4 * w.row0 + r - p_.pad_top;
      if (y < 0 || y >= p_.height) continue;
      k_.pack_channels(w.x + (c0 * p_.height + y) * p_.width, p_.height * p_.width, lanes, p_.width,
                       plane + r * row_stride + p_.pad_left * kWinogradLanes);
    }
  }
}

// Writes the band's output rows in NCHW: + bias, + Z, activation.
void WinogradConv::epilogue(const Worker& w) const {
  const WinogradDims& d = w.d;
  const int64_t plane = p_.out_height * p_.out_width;
  const int64_t rows = std::min(4 * w.row1, p_.out_height) - 4 * w.row0;
  for (int64_t c0 = w.kb0 * kWinogradLanes; c0 < std::min(w.kb1 * kWinogradLanes, p_.cout); c0 += kWinogradLanes) {
    const int64_t lanes = std::min<int64_t>(kWinogradLanes, p_.cout - c0);
    const float* src = w.staged.data() + c0 * d.staged_h * d.staged_w;
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = src + r * d.staged_w * kWinogradLanes;
      const int64_t offset = (4 * w.row0 + r) * p_.out_width;
      k_.unpack_channels(row, p_.out_width, lanes, w.y + c0 * plane + offset, plane);
      if (bias_.empty() && !w.z && p_.activation.kind == FusedActivation::Kind::kNone) continue;
      for (int64_t l = 0; l < lanes; ++l) {  // one pass: out = act(out + bias + z)
        float* out = w.y + (c0 + l) * plane + offset;
        const float bias = bias_.empty() ? 0.0f : bias_[c0 + l];
        if (w.z) {
          const float* z = w.z + (c0 + l) * plane + offset;
          for (int64_t x = 0; x < p_.out_width; ++x) out[x] = out[x] + bias + z[x];
        } else if (!bias_.empty()) {
          for (int64_t x = 0; x < p_.out_width; ++x) out[x] += bias;
        }
        apply_activation(p_.activation, out, p_.out_width);
      }
    }
  }
}

void WinogradConv::compute(Worker& w) const {
  copy_in(w);
  const int64_t tiles = w.d.tiles();
  for (int64_t t0 = 0; t0 < tiles; t0 += w.d.block_tiles) {
    const int64_t count = std::min(w.d.block_tiles, tiles - t0);
    k_.input_transform(w.d, w.padded.data(), t0, count, w.v.data());
    k_.multiply(w.d, u_.data(), w.v.data(), count, w.kb0, w.kb1, w.m.data());
    k_.output_transform(w.d, w.m.data(), t0, count, w.kb0, w.kb1, w.staged.data());
  }
  epilogue(w);
}

void WinogradConv::set_image(Worker& w, int64_t n) const {
  const int64_t in_image = p_.cin * p_.height * p_.width, out_image = p_.cout * p_.out_height * p_.out_width;
  w.x = x_ + n * in_image;
  w.z = z_ ? z_ + n * out_image : nullptr;
  w.y = y_ + n * out_image;
}

void WinogradConv::worker_task(void* self, size_t i) {
  auto* s = static_cast<WinogradConv*>(self);
  s->compute(s->workers_[i]);
}

void WinogradConv::batch_task(void* self, size_t i) {
  auto* s = static_cast<WinogradConv*>(self);
  const int64_t n = static_cast<int64_t>(s->workers_.size()), k = static_cast<int64_t>(i);
  Worker& w = s->workers_[i];
  for (int64_t image = s->p_.batch * k / n; image < s->p_.batch * (k + 1) / n; ++image) {
    s->set_image(w, image);
    s->compute(w);
  }
}

// Weights and bias given as inputs: transformed and copied for this run.
Status WinogradConv::load_inputs(KernelContext& ctx) {
  if (p_.weights_input >= 0) {
    const Shape shape = p_.adjoint ? Shape{p_.cin, p_.cout, 3, 3} : Shape{p_.cout, p_.cin, 3, 3};
    if (!ctx.has_input(p_.weights_input) || ctx.input(p_.weights_input).dtype() != DType::kFloat32 ||
        ctx.input(p_.weights_input).shape() != shape)
      return ctx.error("winograd: W must be float32 " + shape_to_string(shape));
    const float* w = ctx.input(p_.weights_input).data<float>();
    if (p_.adjoint)  // U[k][c] from W[c][k] rotated by 180°
      winograd_transform_weights_f32(w, p_.cout, p_.cin, 9, p_.cout * 9, true, dims_, u_.data());
    else
      winograd_transform_weights_f32(w, p_.cout, p_.cin, p_.cin * 9, 9, false, dims_, u_.data());
  }
  if (p_.bias_input >= 0) {
    if (!ctx.has_input(p_.bias_input) || ctx.input(p_.bias_input).dtype() != DType::kFloat32 ||
        ctx.input(p_.bias_input).shape() != Shape{p_.cout})
      return ctx.error("winograd: B must be float32 [" + std::to_string(p_.cout) + "]");
    const float* b = ctx.input(p_.bias_input).data<float>();
    std::copy(b, b + p_.cout, bias_.begin());
  }
  return Status::ok();
}

Status WinogradConv::run(KernelContext& ctx) {
  const Shape in_shape{p_.batch, p_.cin, p_.height, p_.width};
  const Shape out_shape{p_.batch, p_.cout, p_.out_height, p_.out_width};
  if (!ctx.has_input(0) || ctx.input(0).dtype() != DType::kFloat32 || ctx.input(0).shape() != in_shape)
    return ctx.error("winograd: X does not match the prepared shape " + shape_to_string(in_shape));
  Tensor& y = ctx.output(0);
  if (y.dtype() != DType::kFloat32 || y.shape() != out_shape)
    return ctx.error("winograd: output is not allocated as " + shape_to_string(out_shape));
  const float* z = nullptr;
  if (p_.z_input >= 0) {
    if (!ctx.has_input(p_.z_input) || ctx.input(p_.z_input).dtype() != DType::kFloat32 ||
        ctx.input(p_.z_input).shape() != out_shape)
      return ctx.error("winograd: Z must be float32 " + shape_to_string(out_shape));
    z = ctx.input(p_.z_input).data<float>();
  }
  EW_RETURN_IF_ERROR(load_inputs(ctx));
  x_ = ctx.input(0).data<float>();
  z_ = z;
  y_ = y.data<float>();
  if (batch_mode_) {
    pthreadpool_parallelize_1d(ctx.threadpool(), batch_task, this, workers_.size(), 0);
    return Status::ok();
  }
  for (int64_t n = 0; n < p_.batch; ++n) {
    for (Worker& w : workers_) set_image(w, n);
    pthreadpool_parallelize_1d(ctx.threadpool(), worker_task, this, workers_.size(), 0);
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<PreparedKernel>> make_winograd_conv(const WinogradConvParams& params,
                                                           const WinogradKernels& kernels) {
  auto conv = std::make_unique<WinogradConv>(params, kernels);
  conv->init();
  return std::unique_ptr<PreparedKernel>(std::move(conv));
}

}  // namespace ew
