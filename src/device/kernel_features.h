// Kernel features: what the latency predictor knows about each step an
// execution plan runs. Edgewise fuses nodes (an XNNPACK partition runs many
// model nodes as one step) and picks a backend per step, so the unit of
// prediction is the executed step — a "kernel" in nn-Meter's sense — not the
// ONNX node. Each step carries its backend and, per covered node, a class
// ("Conv.dw", "Conv.1x1", "Conv.3x3", "Conv.kxk", "Gemm", "MatMul" or the op
// type), precision and cost (MACs, FLOPs, bytes moved, output elements).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"
#include "device/device_profile.h"
#include "runtime/execution_plan.h"

namespace ew {

// One model node inside a step.
struct NodeFeatures {
  std::string op_class;  // "Conv.dw", "Conv.1x1", "Conv.3x3", "Conv.kxk", "Gemm", "MatMul", else the op type
  Precision precision = Precision::kFp32;
  double macs = 0, flops = 0;
  double bytes = 0;      // inputs (parameters included) + outputs, each once
  double out_elems = 0;  // elements of the first output
  double param_bytes = 0;  // of `bytes`, initializers (weights stream from DRAM once they outgrow the caches)
};

// One executed step.
struct KernelStep {
  std::string name;        // the step's first node (its name, or "OpType#K")
  std::string op_pattern;  // covered op types as the profiler writes them: "Conv*2+Clip+Add"
  std::string backend;     // "xnnpack", a fast kernel's name, "reference" or "view"
  Precision precision = Precision::kFp32;  // of the step's heaviest node
  std::vector<NodeFeatures> nodes;
  double macs = 0, flops = 0;
  double bytes = 0;        // the step's external inputs and outputs, each once (what must cross memory)
  double param_bytes = 0;  // of those, initializers
  double layout_bytes = 0; // of those, rank-4 activations: what an NHWC backend (XNNPACK) converts at its edges
  double model_weight_bytes = 0;  // all initializers of the model: past the last-level cache, weights run cold
  bool exact = true;       // false when some shape was unknown (costs are lower bounds)

  // "xnnpack:Conv.dw/fp32" for a single-node step; "xnnpack:partition" for a fused one.
  std::string kernel_type() const;
};

// The op class of a node (see NodeFeatures::op_class), from its op type and the graph's types.
std::string op_class(const Graph& graph, const Node& node);

// Every top-level step of `plan`, in run order. Views are included (backend "view").
std::vector<KernelStep> kernel_steps(const ExecutionPlan& plan);

nlohmann::json to_json(const KernelStep& step);
Result<KernelStep> kernel_step_from_json(const nlohmann::json& j);

}  // namespace ew
