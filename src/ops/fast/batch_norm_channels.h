// Shared by the fast BatchNormTraining and BatchNormTrainingGrad kernels: a
// tensor [N, C, ...] seen as C channels of N rows of `inner` floats, and the
// per-channel sums they need (float vector lanes per row, double across rows;
// the reference sums element by element in double).
#pragma once

#include <cstdint>

#include "ops/fast/prepare_util.h"

namespace ew::fast {

struct BatchNormChannels {
  int64_t N = 0, C = 0, inner = 0;
  int64_t count() const { return N * inner; }  // values per channel
};

// Σ f(i) over the flat indices i of channel c. Inlined into each caller's
// ISA-specific entry point, so the lane loop compiles for that ISA.
template <typename F>
inline __attribute__((always_inline)) double channel_sum(const BatchNormChannels& s, int64_t c, F f) {
  double total = 0;
  for (int64_t n = 0; n < s.N; ++n) {
    const int64_t base = (n * s.C + c) * s.inner;
    float lanes[16] = {};
    int64_t i = 0;
    for (; i + 16 <= s.inner; i += 16)
      for (int j = 0; j < 16; ++j) lanes[j] += f(base + i + j);
    double row = 0;
    for (int j = 0; j < 16; ++j) row += lanes[j];
    for (; i < s.inner; ++i) row += f(base + i);
    total += row;
  }
  return total;
}

// Inputs 0 .. last_param float32, X (input x) [N, C, ...] with at least two
// values per channel, inputs first_param .. last_param of shape [C].
inline bool batch_norm_channels(const PrepareContext& ctx, int x, int first_param, int last_param,
                                BatchNormChannels* s) {
  for (int i = 0; i <= last_param; ++i)
    if (!is_f32(ctx, i)) return false;
  const Shape shape = input_shape(ctx, x);
  if (shape.size() < 2) return false;
  s->N = shape[0];
  s->C = shape[1];
  s->inner = 1;
  for (size_t d = 2; d < shape.size(); ++d) s->inner *= shape[d];
  for (int i = first_param; i <= last_param; ++i)
    if (input_shape(ctx, i) != Shape{s->C}) return false;
  return s->N * s->inner >= 2;
}

}  // namespace ew::fast
