// Convolution as sgemm (sgemm.h) over chunks of whole images: what the fast
// Conv, ConvGradInput and ConvGradFilter kernels for weights that are inputs
// (training graphs) share. Per group g, with K = Cg·kD·kH·kW and P output
// positions per image, and the images of a chunk side by side as columns:
//
//   Conv            Y_g[Mg, cols]   = W_g[Mg, K]  · col[K, cols]
//   ConvGradInput   col[K, cols]    = W_gᵀ[K, Mg] · dY_g[Mg, cols]   then col2im
//   ConvGradFilter  dW_g[Mg, K]    += dY_g[Mg, cols] · colᵀ[cols, K]
//
// A chunk holds enough images for about kChunkColumns columns, so small
// feature maps (7x7) still make wide GEMMs. Chunks run in parallel on the
// session's pool, each worker with its own scratch; with fewer chunks than
// threads the pool splits each GEMM instead. Either way every output element
// is computed by the same operations, so results do not depend on the thread
// count.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <pthreadpool.h>

#include "ops/fused/fused_activation.h"
#include "ops/grad/conv_grad_geometry.h"
#include "ops/op.h"

namespace ew::fast {

inline constexpr int64_t kChunkColumns = 256;

struct ConvGemm {
  ConvGradShape s;
  int64_t Cg = 0, Mg = 0, K = 0;
  int64_t P = 0;      // output positions per image
  int64_t plane = 0;  // input positions per image
  bool pointwise = false;  // 1x1 window, stride 1, no padding: col is X itself
  int64_t images_per_chunk = 1, chunks = 0;

  // im2col by gathering (pack_col, pack_col_transposed): element (k, column)
  // of a chunk's col is src[tap_index[k] + column_index[column]], where src is
  // X itself when no window reaches outside it (`direct`), else a zero-bordered
  // copy of the chunk's images (pad_images; padded_floats() per chunk).
  bool direct = false;
  int64_t extent[3] = {1, 1, 1};  // what the windows read per spatial axis (padded)
  std::vector<int32_t> tap_index, column_index;
  // Maximal runs of chunk columns whose sources are consecutive floats (unit
  // stride: an output row, or a whole image for 1x1 layers): (first column, length).
  std::vector<std::pair<int64_t, int64_t>> column_runs;

  int64_t first_image(int64_t chunk) const { return chunk * images_per_chunk; }
  int64_t images(int64_t chunk) const { return std::min(images_per_chunk, s.batch - first_image(chunk)); }
  int64_t max_columns() const { return images_per_chunk * P; }
  int64_t padded_plane() const { return extent[0] * extent[1] * extent[2]; }
  int64_t padded_floats() const { return direct ? 0 : images_per_chunk * Cg * padded_plane(); }
};

// False when the gather indices would not fit int32 (a huge layer; the kernels then decline it).
bool make_conv_gemm(const ConvGradShape& s, ConvGemm* c);

// The source the gathers read for group g of images [i0, i0 + n): X itself
// when direct, else `padded` (padded_floats()) filled with the images' group
// channels on a zero border.
const float* gather_source(const ConvGemm& c, const float* x, int64_t i0, int64_t n, int64_t g, float* padded);

// Packs col[K, n·P] (Conv's B) into sgemm's layout, panels of 16 columns.
void pack_col(const ConvGemm& c, const float* src, int64_t n, float* packed);
// Packs colᵀ[n·P, K] (ConvGradFilter's B) into sgemm's layout, panels of 16 rows of col.
void pack_col_transposed(const ConvGemm& c, const float* src, int64_t n, float* packed);

// col[K, ld] for group g of images [i0, i0 + n) of x (NCHW...), image i at column (i - i0)·P.
void im2col_images(const ConvGemm& c, const float* x, int64_t i0, int64_t n, int64_t g, float* col, int64_t ld);

// dst[r, ld] = rows r0.. r0 + rows of images [i0, i0 + n) of t ([N, channels, P]), image i at column (i - i0)·P.
void gather_rows(const float* t, int64_t channels, int64_t P, int64_t i0, int64_t n, int64_t r0, int64_t rows,
                 float* dst, int64_t ld);


// A 64-byte aligned scratch buffer of at least `floats` floats owned by the
// calling thread, reused by every fast conv kernel that runs on it (kernels
// of a plan run one after another): grows when a larger one is needed, so
// steady-state runs allocate nothing. Contents are undefined.
float* thread_scratch(int64_t floats);

// Runs body(begin, end) over `items` split into `workers` contiguous ranges,
// on the pool (one range per task) or inline when workers is 1.
void run_ranges(pthreadpool_t pool, int64_t workers, int64_t items, const std::function<void(int64_t, int64_t)>& body);

// Σ x[0 .. n) in float lanes, added in double: bias gradients.
double sum_floats(const float* x, int64_t n);

// Threads of the pool (1 without one).
int64_t pool_threads(pthreadpool_t pool);

// A Conv or com.microsoft::FusedConv node as the fast forward kernels take it:
// float32 X, W (an input, not a constant: constant weights go to the
// backends), optional B [M] and, fused, Z (Y's shape) and the activation.
struct ConvNode {
  Shape x, w, y;
  ConvGradShape s;
  FusedActivation act;
  bool has_bias = false;
  int z_input = -1;
};
// False when the node is not one of those (the kernel then declines it).
bool read_conv_node(const PrepareContext& ctx, bool fused, ConvNode* node);
// The node's inputs at run time have the prepared shapes (a Status naming the kernel otherwise).
Status check_conv_inputs(KernelContext& ctx, const ConvNode& node, const char* kernel);

// The end of a fast Conv / FusedConv on one output row of n values:
// row = act(row + bias + z) (z may be nullptr), in that order as FusedConv defines it.
void conv_epilogue(float* row, int64_t n, float bias, const float* z, const FusedActivation& act);

}  // namespace ew::fast
