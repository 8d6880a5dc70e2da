// Hands XNNPACK the nodes it runs well. Consecutive supported nodes of the
// executor's step order (all types static, fp32) become one partition, lowered
// to one XNNPACK runtime. Inside a partition 4-D tensors are NHWC; layouts
// change only at the partition's boundary.
#pragma once

#include <string>
#include <vector>

#include "backends/partition.h"
#include "runtime/executor.h"

namespace ew {

struct XnnpackOptions {
  pthreadpool_t threadpool = nullptr;
  bool fp16 = false;  // ask XNNPACK for fp16 inference where the CPU supports it
  std::vector<std::string>* diagnostics = nullptr;  // why candidate partitions were rejected
  std::vector<char> excluded;  // per executor step: 1 when another kernel was chosen for it
};

// XNNPACK initializes once per process; false when this CPU is unsupported.
bool xnnpack_available();

Result<std::vector<Partition>> partition_for_xnnpack(const GraphExecutor& exec, const Graph& graph,
                                                     const TypeLookup& types, const XnnpackOptions& options);

}  // namespace ew
