#include "core/memory_planner.h"

#include <algorithm>
#include <numeric>

namespace ew {

namespace {

int64_t align_up(int64_t v, int64_t a) { return (v + a - 1) / a * a; }

bool lifetimes_overlap(const TensorLifetime& a, const TensorLifetime& b) {
  return a.first <= b.last && b.first <= a.last;
}

// Lowest aligned offset where `t` fits between the placed tensors it overlaps in time.
int64_t lowest_free_offset(const TensorLifetime& t, const std::vector<TensorLifetime>& tensors,
                           const std::vector<int>& placed, const std::vector<int64_t>& offsets, int64_t alignment) {
  std::vector<std::pair<int64_t, int64_t>> busy;  // [begin, end) of live neighbours, by begin
  for (int j : placed)
    if (lifetimes_overlap(t, tensors[j])) busy.emplace_back(offsets[j], offsets[j] + tensors[j].bytes);
  std::sort(busy.begin(), busy.end());
  int64_t candidate = 0;
  for (const auto& [begin, end] : busy) {
    if (begin - candidate >= t.bytes) break;
    candidate = std::max(candidate, align_up(end, alignment));
  }
  return candidate;
}

}  // namespace

MemoryPlan plan_memory(const std::vector<TensorLifetime>& tensors, int64_t alignment) {
  MemoryPlan plan;
  plan.offsets.assign(tensors.size(), 0);
  std::vector<int> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return tensors[a].bytes > tensors[b].bytes; });
  std::vector<int> placed;
  for (int i : order) {
    plan.offsets[i] = lowest_free_offset(tensors[i], tensors, placed, plan.offsets, alignment);
    plan.arena_bytes = std::max(plan.arena_bytes, align_up(plan.offsets[i] + tensors[i].bytes, alignment));
    plan.naive_bytes += tensors[i].bytes;
    placed.push_back(i);
  }
  return plan;
}

}  // namespace ew
