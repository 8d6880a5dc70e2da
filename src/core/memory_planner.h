// Static memory planning: every intermediate tensor with a known size and
// lifetime gets an offset in one arena. Tensors whose lifetimes overlap never
// share bytes; the rest reuse them. Greedy by size (as TFLite and XNNPACK do):
// the largest tensors are placed first, each at the lowest offset that does
// not collide with an already placed tensor alive at the same time.
#pragma once

#include <cstdint>
#include <vector>

namespace ew {

struct TensorLifetime {
  int64_t bytes = 0;
  int first = 0;  // index of the step that writes it
  int last = 0;   // index of the last step that reads it (>= first)
};

struct MemoryPlan {
  std::vector<int64_t> offsets;  // one per lifetime, aligned to `alignment`
  int64_t arena_bytes = 0;       // smallest arena holding every tensor at its offset
  int64_t naive_bytes = 0;       // sum of all sizes (each tensor in its own buffer)
};

inline constexpr int64_t kArenaAlignment = 64;

MemoryPlan plan_memory(const std::vector<TensorLifetime>& tensors, int64_t alignment = kArenaAlignment);

}  // namespace ew
