// The parallel loop the depthwise forward and input-gradient kernels share:
// one task per (image, block of kDepthwiseLanes channels), tasks spread over
// the session's pool, each thread with its own scratch_floats() of scratch.
#pragma once

#include <algorithm>
#include <atomic>

#include "ops/fast/conv_gemm.h"
#include "ops/fast/depthwise.h"
#include "ops/op.h"

namespace ew::fast {

// Calls fn(n, c0, lanes, scratch) for every image n and channel block starting at c0.
template <typename Fn>
Status for_each_channel_block(KernelContext& ctx, const Depthwise& d, Fn fn) {
  const int64_t blocks = d.blocks(), tasks = d.batch * blocks;
  std::atomic<bool> failed{false};
  run_ranges(ctx.threadpool(), std::min(pool_threads(ctx.threadpool()), tasks), tasks, [&](int64_t t0, int64_t t1) {
    float* scratch = thread_scratch(d.scratch_floats());
    if (!scratch) return void(failed = true);
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t c0 = t % blocks * kDepthwiseLanes;
      fn(t / blocks, c0, std::min(kDepthwiseLanes, d.channels - c0), scratch);
    }
  });
  return failed ? resource_exhausted("depthwise: out of memory for scratch") : Status::ok();
}

}  // namespace ew::fast
