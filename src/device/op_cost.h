// Per-op cost read from the IR, the input of the latency and energy models:
// MACs and FLOPs (model_stats.h), bytes read and written (from the inferred
// types of each node's inputs and outputs), parameter bytes (constant inputs)
// and the precision the op computes in (from its input types).
#pragma once

#include <string>
#include <vector>

#include "device/device_profile.h"
#include "ir/graph.h"

namespace ew {

struct OpCost {
  std::string node, op_type;
  int64_t macs = 0, flops = 0;
  int64_t bytes_read = 0;     // every input tensor once (parameters included)
  int64_t bytes_written = 0;  // every output tensor once
  int64_t param_bytes = 0;    // inputs that are initializers
  Precision precision = Precision::kFp32;
  bool exact = true;          // false when a shape was unknown (a lower bound)
};

// `model` must have inferred shapes with symbolic dims bound (infer_shapes).
std::vector<OpCost> op_costs(const Model& model);

}  // namespace ew
