#include "core/memory_planner.h"

#include <gtest/gtest.h>

#include <random>

namespace ew {
namespace {

bool bytes_overlap(const MemoryPlan& p, const std::vector<TensorLifetime>& t, size_t a, size_t b) {
  return p.offsets[a] < p.offsets[b] + t[b].bytes && p.offsets[b] < p.offsets[a] + t[a].bytes;
}

void expect_valid(const MemoryPlan& p, const std::vector<TensorLifetime>& t) {
  for (size_t a = 0; a < t.size(); ++a) {
    EXPECT_EQ(p.offsets[a] % kArenaAlignment, 0);
    EXPECT_LE(p.offsets[a] + t[a].bytes, p.arena_bytes);
    for (size_t b = a + 1; b < t.size(); ++b) {
      bool alive_together = t[a].first <= t[b].last && t[b].first <= t[a].last;
      if (alive_together) {
        EXPECT_FALSE(bytes_overlap(p, t, a, b)) << a << " and " << b;
      }
    }
  }
}

TEST(MemoryPlanner, ChainReusesTwoBuffers) {
  // a -> b -> c -> d: each tensor is read only by the next step.
  std::vector<TensorLifetime> t = {{1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, 4}};
  MemoryPlan p = plan_memory(t);
  expect_valid(p, t);
  EXPECT_EQ(p.naive_bytes, 4000);
  EXPECT_EQ(p.arena_bytes, 2 * 1024);  // two aligned slots ping-pong
}

TEST(MemoryPlanner, AllAliveAtOnceNeedsTheSum) {
  std::vector<TensorLifetime> t = {{64, 0, 9}, {128, 1, 9}, {192, 2, 9}};
  MemoryPlan p = plan_memory(t);
  expect_valid(p, t);
  EXPECT_EQ(p.arena_bytes, 384);
}

TEST(MemoryPlanner, SmallTensorFillsGapBetweenLargeOnes) {
  // Big tensors 0 and 1 live at different times; small one lives with both.
  std::vector<TensorLifetime> t = {{4096, 0, 1}, {4096, 2, 3}, {64, 0, 3}};
  MemoryPlan p = plan_memory(t);
  expect_valid(p, t);
  EXPECT_EQ(p.arena_bytes, 4096 + 64);
}

TEST(MemoryPlanner, RandomLifetimesNeverCollide) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<TensorLifetime> t;
    for (int i = 0; i < 40; ++i) {
      int first = static_cast<int>(rng() % 30);
      t.push_back({static_cast<int64_t>(1 + rng() % 5000), first, first + static_cast<int>(rng() % 6)});
    }
    MemoryPlan p = plan_memory(t);
    expect_valid(p, t);
    EXPECT_LE(p.arena_bytes, p.naive_bytes + 64 * 40);
  }
}

TEST(MemoryPlanner, EmptyPlan) {
  MemoryPlan p = plan_memory({});
  EXPECT_EQ(p.arena_bytes, 0);
  EXPECT_EQ(p.naive_bytes, 0);
}

}  // namespace
}  // namespace ew
