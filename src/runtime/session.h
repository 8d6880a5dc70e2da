// Session: a loaded, validated model bound to kernels, ready to run many
// times. Symbolic input dims ("N", "batch_size") are bound per run, so one
// session serves any batch size.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/execution_plan.h"
#include "runtime/executor.h"

namespace ew {

struct SessionOptions {
  int version = 1;               // options struct version, for forward compatibility
  bool infer_shapes = true;      // run static shape inference at load
  int opt_level = 2;             // graph optimizer level: 0 none, 1 folding/cleanup, 2 + fusions
  int threads = 1;               // intra-op threads (1: the calling thread only)
  bool use_backends = true;       // hand supported nodes to backends (XNNPACK, oneDNN)
  std::string backend = "auto";  // "auto": measured choice per partition; or one backend's name
  bool bf16 = false;             // run fp32 math in bf16 where the CPU has it (oneDNN partitions)
  // Where backend "auto" keeps its measured choices: "" = the default folder
  // (tuning_cache.h: $EW_TUNING_CACHE, else ~/.cache/edgewise/tuning), "none" = nowhere.
  std::string tuning_cache;
  bool fast_kernels = true;      // use prepared fast kernels where they apply (else reference only)
  bool fp16 = false;             // run XNNPACK partitions in fp16 where the CPU supports it
};

// Memory of the planned intermediates, for the shapes most recently run.
struct MemoryStats {
  int64_t arena_bytes = 0;   // one arena holding every planned intermediate
  int64_t naive_bytes = 0;   // the sum of all those tensors, each in its own buffer
  int plans = 0;             // execution plans built so far (one per distinct input shape)
};

class Session {
 public:
  static Result<std::unique_ptr<Session>> load(const std::string& path, const SessionOptions& options = {});
  static Result<std::unique_ptr<Session>> create(Model model, const SessionOptions& options = {});

  const Model& model() const { return model_; }
  const std::vector<ValueInfo>& inputs() const { return model_.graph.inputs; }
  const std::vector<ValueInfo>& outputs() const { return model_.graph.outputs; }

  ~Session();

  // Runs with named inputs; returns outputs in graph order. Checks every input
  // against its declared dtype and shape, binding symbolic dims consistently.
  // The first run with new input shapes builds an execution plan for them
  // (kept for later runs); runs are serialized.
  Result<std::vector<Tensor>> run(const std::map<std::string, Tensor>& inputs, StepObserver* observer = nullptr) const;
  // The same with inputs in graph-input order, filling `outputs` in place:
  // reusing one outputs vector across runs makes steady-state runs allocation-free.
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs, StepObserver* observer = nullptr) const;
  // Builds (or finds) the plan for these inputs without running; e.g. to measure planning apart from running.
  Status prepare(const std::vector<Tensor>& inputs) const;
  // The plan for these inputs (built if needed), for read-only inspection, e.g. of its
  // steps (ExecutionPlan::step_infos). Valid while the session lives and until 8 newer
  // input shapes have been planned.
  Result<const ExecutionPlan*> plan(const std::vector<Tensor>& inputs) const;
  // What the most recently used plan looks like (backends, steps, arena).
  PlanSummary plan_summary() const;

  MemoryStats memory_stats() const;

  // Checks the inputs without running; returns the bound symbolic dims.
  Result<std::map<std::string, int64_t>> check_inputs(const std::map<std::string, Tensor>& inputs) const;

 private:
  Session() = default;
  Result<ExecutionPlan*> plan_for(const std::vector<Tensor>& inputs) const;
  Result<std::unique_ptr<ExecutionPlan>> build_plan(const std::map<std::string, int64_t>& dims) const;

  Model model_;
  SessionOptions options_;
  std::unique_ptr<GraphExecutor> exec_;  // validates the model at load; runs nothing
  pthreadpool_t threadpool_ = nullptr;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<ExecutionPlan>> plans_;  // most recently used first
  mutable MemoryStats memory_stats_;
};

}  // namespace ew
