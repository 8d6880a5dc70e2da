// ExecutionPlan: a model compiled for one set of concrete input shapes.
//
// Built once per distinct input shape (the Session caches plans), it fixes
// everything that does not depend on data: each value's type, which backend
// runs each node (an XNNPACK partition, a prepared fast kernel, or the
// reference kernel), and where every intermediate lives in one arena
// (memory_planner.h). Reshape-like nodes become views and run nothing. Steps
// whose output shapes depend on data stay dynamic: they infer and allocate at
// run time, as the plain GraphExecutor does.
//
// Running a plan reuses everything it holds: in steady state a run performs
// no allocation when every step is planned and the caller reuses its outputs
// vector (see Session::run with an outputs vector).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backends/partition.h"
#include "backends/tuning_cache.h"
#include "runtime/executor.h"

namespace ew {

struct PlanOptions {
  bool fast_kernels = true;
  bool use_backends = true;
  std::string backend = "auto";  // "auto" (measured choice), or one backend's name (xnnpack, onednn)
  bool fp16 = false;
  bool bf16 = false;
  int threads = 1;
  pthreadpool_t threadpool = nullptr;
  std::string tuning_cache_dir;  // where measured backend choices are kept ("" = not kept)
};

struct PlanSummary {
  int steps = 0;
  int partitions = 0;                       // steps run by a backend (XNNPACK, oneDNN)
  int partition_nodes = 0;                  // model nodes inside them
  std::map<std::string, int> backend_nodes;  // ... per backend
  int fast_kernel_steps = 0;
  int reference_steps = 0;
  int view_steps = 0;
  int in_place_steps = 0;  // elementwise steps writing over their dying input
  int dynamic_steps = 0;
  int64_t arena_bytes = 0;
  int64_t naive_bytes = 0;
  std::vector<std::string> diagnostics;  // e.g. partitions XNNPACK rejected, and why
  std::string precision_note;            // why a requested precision does not apply here ("" when it does)
  std::vector<BackendChoice> choices;    // backend "auto": every measured choice
  bool tuning_from_cache = false;        // ... read from the tuning cache
  double tuning_seconds = 0;             // ... else the time spent measuring
};

// One step as the plan runs it, read by cost models and tools (the latency
// predictor keys its kernels by these). Node pointers point into model().
struct PlanStepInfo {
  const Node* node = nullptr;         // the node run (a fused partition's first node)
  std::vector<const Node*> nodes;     // every model node the step covers
  std::vector<std::string> inputs;    // the step's external input values ("" when absent)
  std::vector<std::string> outputs;   // and output values
  std::string backend;                // "reference", a fast kernel's name, "xnnpack", or "view"
  bool dynamic = false;               // output shapes depend on data (runs the reference kernel)
};

class ExecutionPlan {
 public:
  // `model` has its symbolic input dims bound and its shapes inferred.
  static Result<std::unique_ptr<ExecutionPlan>> build(Model model, const PlanOptions& options);
  ~ExecutionPlan();

  // Inputs in graph-input order, already checked against input_types().
  // `outputs` is resized to the graph outputs and filled; reusing the same
  // vector across runs lets the plan reuse its output buffers.
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs, StepObserver* observer);

  const std::vector<ValueType>& input_types() const { return input_types_; }
  bool matches(const std::vector<Tensor>& inputs) const;
  const PlanSummary& summary() const { return summary_; }
  const Model& model() const { return model_; }
  // The top-level steps in run order.
  std::vector<PlanStepInfo> step_infos() const;

 private:
  struct Step;
  ExecutionPlan() = default;
  Status compile(const PlanOptions& options);
  StepList step_list() const;
  Status place_partitions(const PlanOptions& options, std::vector<Partition>& partitions);
  void add_node_step(size_t step_index, const PlanOptions& options);
  // A prepared fast kernel for the step, if one applies.
  std::unique_ptr<PreparedKernel> prepare_fast_kernel(const GraphExecutor::Step& s, const PlanOptions& options,
                                                      const char** name) const;
  void add_partition_step(Partition& p);
  Status plan_memory_and_views();
  void plan_in_place(const std::vector<char>& planned, const std::vector<int>& producer,
                     const std::vector<int>& last_use, std::vector<int>& root);
  Status refresh_graph_outputs(const std::vector<Tensor>& outputs);
  Status run_step(Step& step, SubgraphRunner& subgraphs, StepObserver* observer);
  Status run_dynamic_step(Step& step, SubgraphRunner& subgraphs, StepObserver* observer);
  Status adopt_outputs(Step& step);
  const ValueType* type_of(int slot) const;

  Model model_;
  std::unique_ptr<GraphExecutor> exec_;
  std::vector<std::unique_ptr<Step>> steps_;
  std::vector<Tensor> slots_;             // current value of every slot
  std::vector<ValueType> slot_types_;     // static type per slot (undefined when data-dependent)
  std::vector<const Tensor*> constant_of_slot_;  // initializer value per slot, else nullptr
  std::vector<ValueType> input_types_;
  std::shared_ptr<Buffer> arena_;
  struct GraphOutput {
    int slot = -1;
    Step* producer = nullptr;
    int index = -1;                  // output index within the producer
    std::shared_ptr<Buffer> buffer;  // its own buffer, reused while nobody else holds it
  };
  std::vector<GraphOutput> graph_outputs_;
  pthreadpool_t threadpool_ = nullptr;
  bool pool_active_ = false;  // the last step run used threadpool_ (its workers may still spin)
  PlanSummary summary_;
  std::vector<std::unique_ptr<PreparedKernel>> preferred_;  // per executor step: our kernel, chosen by measurement
  std::vector<const char*> preferred_names_;
  std::vector<char> preferred_single_;  // ... to run on the calling thread only
};

}  // namespace ew
