// Times prepared kernels on the real shapes, on inputs of their own: what the
// measured choice between backends compares.
#pragma once

#include <pthreadpool.h>

#include <string>
#include <vector>

#include "backends/partition.h"

namespace ew {

// One kernel run as a step: `node` (its label in errors), reading `inputs` and
// writing `outputs` in that order.
struct TimedStep {
  PreparedKernel* kernel = nullptr;
  const Node* node = nullptr;
  int64_t opset = 0;
  std::vector<std::string> inputs, outputs;
  bool single_thread = false;  // run without the pool, as a step chosen to run on one thread
  bool own_threads = false;    // a backend on threads of its own: the pool is quiesced first, as plans do
};

struct KernelTiming {
  double seconds = 0;  // the fastest of the timed runs of the whole sequence
  int runs = 0;
};

// Runs the steps in order once to warm up, then a few times, on `threadpool`
// (but single-thread steps). Values a step reads that no earlier step writes
// are constants, or deterministic pseudo-random tensors of their static type.
Result<KernelTiming> time_steps(const std::vector<TimedStep>& steps, const TypeLookup& types,
                                pthreadpool_t threadpool);

}  // namespace ew
