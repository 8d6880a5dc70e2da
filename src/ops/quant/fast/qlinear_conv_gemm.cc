// QLinearConv with group 1 as an int8 GEMM (AVX-512 VNNI): 1x1 stride-1
// unpadded convolutions read the NCHW input directly as X [C x H*W]; others
// first gather blocks of output pixels im2col-style (padding = x_zero_point,
// which contributes nothing, as in the reference).
#include <algorithm>
#include <atomic>
#include <cstring>

#include "ops/fast/prepare_util.h"
#include "ops/quant/fast/int8_gemm.h"
#include "ops/quant/fast/qlinear_conv_params.h"

namespace ew::quant::fast {
namespace {

class Int8GemmConv : public PreparedKernel {
 public:
  Int8GemmConv(QConvParams p, int workers) : p_(std::move(p)), workers_(workers) {
    const IntConvShape& s = p_.shape;
    k_ = s.in_channels * s.kernel_size();
    direct_ = s.kernel_size() == 1 && s.stride[1] == 1 && s.stride[2] == 1 && s.pad[1] == 0 && s.pad[2] == 0 &&
              s.in[1] == s.out[1] && s.in[2] == s.out[2];
    block_ = direct_ ? 512 : std::clamp<int64_t>(131072 / k_ / kGemmNR * kGemmNR, kGemmNR, 512);
    pack_int8_weights(p_.w->raw(), p_.w_unsigned, s.out_channels, k_, p_.w_zp, p_.x_zp, p_.x_signed, p_.bias,
                      &w_, &rq_);
    rq_.scale = p_.scale;
    rq_.y_signed = p_.y_signed;
    rq_.y_zp = p_.y_zp;
    worker_bytes_ = int8_gemm_scratch_bytes(k_) + (direct_ ? 0 : k_ * block_ + 64);  // 64: im2col spill
    scratch_.resize(static_cast<size_t>(worker_bytes_ * workers_));
  }

  Status run(KernelContext& ctx) override {
    const IntConvShape& s = p_.shape;
    const int64_t pixels = s.out_plane();
    blocks_ = (pixels + block_ - 1) / block_;
    const int workers = std::min(workers_, pool_workers(ctx.threadpool()));
    // Few pixel blocks (small images): split the rows too, so every worker gets items.
    m_chunks_ = workers > 1 ? std::clamp<int64_t>(4 * workers / blocks_, 1, w_.m_blocks) : 1;
    for (int64_t n = 0; n < s.batch; ++n) {
      x_ = ctx.input(0).data<uint8_t>() + n * s.in_channels * s.in_plane();
      y_ = ctx.output(0).data<uint8_t>() + n * s.out_channels * pixels;
      if (workers <= 1) {
        run_worker(0, 1);
      } else {
        workers_now_ = workers;
        next_item_.store(0, std::memory_order_relaxed);
        pthreadpool_parallelize_1d(
            ctx.threadpool(),
            [](void* self, size_t i) {
              auto* k = static_cast<Int8GemmConv*>(self);
              k->run_worker(static_cast<int>(i), k->workers_now_);
            },
            this, static_cast<size_t>(workers), 0);
      }
    }
    return Status::ok();
  }

 private:
  // Workers take items from a shared counter, so a worker whose core is busy
  // elsewhere does not hold the others up.
  void run_worker(int worker, int workers) {
    uint8_t* scratch = scratch_.data() + worker * worker_bytes_;
    const int64_t items = blocks_ * m_chunks_;
    const int64_t pixels = p_.shape.out_plane();
    for (int64_t i = 0;; ++i) {
      const int64_t item = workers == 1 ? i : next_item_.fetch_add(1, std::memory_order_relaxed);
      if (item >= items) break;
      const int64_t b = item / m_chunks_, mc = item % m_chunks_;
      const int64_t p0 = b * block_, n = std::min(block_, pixels - p0);
      const int64_t mb0 = w_.m_blocks * mc / m_chunks_, mb1 = w_.m_blocks * (mc + 1) / m_chunks_;
      const uint8_t* x = x_ + p0;
      int64_t ldx = p_.shape.in_plane();
      if (!direct_) {
        uint8_t* cols = scratch + int8_gemm_scratch_bytes(k_);
        im2col(p0, n, cols);
        x = cols;
        ldx = block_;
      }
      int8_gemm_tiles(w_, rq_, x, ldx, p_.x_signed, n, mb0, mb1, y_ + p0, pixels, scratch);
    }
  }

  // cols[k][j] = x[c, ih, iw] for output pixel p0 + j, k = (c, kh, kw); x_zp outside the image.
  // Written in increasing address order: each piece may spill into the next.
  void im2col(int64_t p0, int64_t n, uint8_t* cols) const {
    const IntConvShape& s = p_.shape;
    const int64_t oh_w = s.out[2], ih_n = s.in[1], iw_n = s.in[2];
    const uint8_t pad = static_cast<uint8_t>(p_.x_zp);
    int64_t k = 0;
    for (int64_t c = 0; c < s.in_channels; ++c)
      for (int64_t kh = 0; kh < s.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < s.kernel[2]; ++kw, ++k) {
          const int64_t off_h = kh * s.dilation[1] - s.pad[1], off_w = kw * s.dilation[2] - s.pad[2];
          int64_t w_lo, w_hi;
          valid_range(off_w, s.stride[2], iw_n, oh_w, w_lo, w_hi);
          for (int64_t j = 0; j < n;) {
            const int64_t p = p0 + j, oh = p / oh_w, ow0 = p % oh_w;
            const int64_t len = std::min(oh_w - ow0, n - j);
            uint8_t* dst = cols + k * block_ + j;
            const int64_t ih = oh * s.stride[1] + off_h;
            if (ih < 0 || ih >= ih_n) {
              fill_spill(dst, pad, len);
            } else {
              const uint8_t* row = x_ + (c * ih_n + ih) * iw_n;
              copy_row(row, off_w, ow0, ow0 + len, w_lo, w_hi, pad, dst);
            }
            j += len;
          }
        }
  }

  // dst[ow - a] = row[ow * stride + off] for ow in [a, b), pad outside [lo, hi).
  void copy_row(const uint8_t* row, int64_t off, int64_t a, int64_t b, int64_t lo, int64_t hi, uint8_t pad,
                uint8_t* dst) const {
    const int64_t v0 = std::clamp(lo, a, b), v1 = std::clamp(hi, v0, b);
    fill_spill(dst, pad, v0 - a);
    const int64_t st = p_.shape.stride[2];
    if (st == 1) {
      copy_spill(dst + (v0 - a), row + v0 + off, v1 - v0);
    } else if (st == 2) {
      gather_stride2(dst + (v0 - a), row + v0 * 2 + off, v1 - v0);
    } else {
      for (int64_t ow = v0; ow < v1; ++ow) dst[ow - a] = row[ow * st + off];
    }
    fill_spill(dst + (v1 - a), pad, b - v1);
  }

  QConvParams p_;
  int workers_;
  int64_t k_ = 0, block_ = 0, worker_bytes_ = 0;
  bool direct_ = false;
  Int8PackedWeights w_;
  Int8Requant rq_;
  std::vector<uint8_t> scratch_;
  // Per-run state read by the workers.
  const uint8_t* x_ = nullptr;
  uint8_t* y_ = nullptr;
  int64_t blocks_ = 0, m_chunks_ = 1;
  int workers_now_ = 1;
  alignas(64) std::atomic<int64_t> next_item_{0};  // its own cache line: written by every worker
};

Result<std::unique_ptr<PreparedKernel>> prepare_int8_gemm_conv(const PrepareContext& ctx) {
  QConvParams p;
  if (!read_qconv_params(ctx, &p) || p.shape.group != 1) return ew::fast::not_handled();
  if (p.shape.in_channels * p.shape.kernel_size() > (int64_t{1} << 20)) return ew::fast::not_handled();
  return ew::fast::prepared(std::make_unique<Int8GemmConv>(std::move(p), pool_workers(ctx.threadpool)));
}

}  // namespace

EW_REGISTER_FAST_KERNEL(.op_type = "QLinearConv", .domain = "", .since_version = 10, .name = "int8_gemm_conv",
                        .prepare = prepare_int8_gemm_conv);

}  // namespace ew::quant::fast
