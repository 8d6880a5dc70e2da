// GraphExecutor: the compiled form of one Graph — each value gets a slot,
// nodes become steps bound to their kernels, and every intermediate is
// released after its last use. Subgraphs (If/Loop/Scan bodies) are compiled
// once, with the enclosing graphs' values reachable through a Scope chain.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/graph.h"
#include "ops/op.h"

namespace ew {

class GraphExecutor;

// The values of one running graph, and the scope it runs in.
struct Scope {
  const GraphExecutor* exec = nullptr;
  const std::vector<Tensor>* slots = nullptr;
  const Scope* parent = nullptr;
  const Tensor* find(const std::string& name) const;
};

// Where a step ran when it is inside an If/Loop/Scan body: the node that ran
// the body, the body, which iteration of that node's current run it is (the
// Loop/Scan iteration; 0 for If) and the frame of the enclosing body
// (nullptr: the body sits in the main graph). Frames live on the stack of
// the running body: observers must not keep pointers to them.
struct BodyFrame {
  const Node* owner = nullptr;
  const Graph* body = nullptr;
  int64_t iteration = 0;
  const BodyFrame* parent = nullptr;
};

// One executed step, as an observer sees it.
struct StepEvent {
  const Node& node;                        // the node run (for a fused partition, its first node)
  const std::vector<const Node*>& nodes;   // every model node the step covers (1 unless fused)
  const char* backend;                     // "reference", a fast kernel's name, or "xnnpack"
  const std::vector<const Tensor*>& inputs;
  const std::vector<Tensor>& outputs;
  std::chrono::steady_clock::time_point start;
  double seconds;
  const BodyFrame* frame = nullptr;        // nullptr: a step of the main graph
};

// Observes each step (profiling, tracing). Optional.
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void after_step(const StepEvent& event) = 0;
  // Called when a body starts, with its inputs in body->inputs order (these
  // values come from no step of the body, e.g. a Scan slice or a Loop-carried value).
  virtual void body_started(const BodyFrame& frame, const std::vector<Tensor>& inputs) {}
};

// Runs If/Loop/Scan bodies of a node in `scope`, with the executor's compiled
// children. `frame` is where the calling node itself runs (nullptr: the main
// graph); the body's steps reach the observer with a frame one level deeper.
class ScopeSubgraphRunner : public SubgraphRunner {
 public:
  ScopeSubgraphRunner(const GraphExecutor& exec, const Scope& scope, StepObserver* observer,
                      const BodyFrame* frame = nullptr)
      : exec_(exec), scope_(scope), observer_(observer), frame_(frame) {}
  Result<std::vector<Tensor>> run(const Graph& body, const std::vector<Tensor>& inputs, int64_t iteration) override;

 private:
  const GraphExecutor& exec_;
  const Scope& scope_;
  StepObserver* observer_;
  const BodyFrame* frame_;
};

class GraphExecutor {
 public:
  // Binds every node to a kernel. All unsupported ops, in this graph and its
  // subgraphs, are reported together in one error.
  static Result<std::unique_ptr<GraphExecutor>> compile(const Graph& graph, const Model& model,
                                                        const std::set<std::string>& outer_names = {});

  // Runs with `inputs` in the order of graph.inputs; returns graph.outputs in order.
  // `frame`: where this graph runs when it is a body (reported with every step).
  Result<std::vector<Tensor>> run(const std::vector<Tensor>& inputs, const Scope* outer = nullptr,
                                  StepObserver* observer = nullptr, const BodyFrame* frame = nullptr) const;

  const Graph& graph() const { return graph_; }
  int slot_of(const std::string& name) const;
  const GraphExecutor* child(const Graph* body) const;
  // The node holding `body` in this graph, or nullptr.
  const Node* owner(const Graph* body) const;

  // The compiled form, read by the execution planner.
  struct Step {
    const Node* node = nullptr;
    const OpDef* op = nullptr;
    int64_t opset = 0;
    std::vector<int> inputs;        // slot per input, -1 when absent
    std::vector<int> outputs;       // slot per output, -1 when unused
    std::vector<int> release_after; // slots whose last use is this step
  };
  const std::vector<Step>& steps() const { return steps_; }
  int num_slots() const { return static_cast<int>(slot_names_.size()); }
  const std::string& slot_name(int slot) const { return slot_names_[slot]; }
  const std::vector<int>& input_slots() const { return input_slots_; }
  const std::vector<int>& output_slots() const { return output_slots_; }
  const std::vector<std::pair<int, const Tensor*>>& constants() const { return constants_; }
  const std::vector<int>& outer_slots() const { return outer_slots_; }

 private:

  explicit GraphExecutor(const Graph& graph) : graph_(graph) {}
  Status bind(const Model& model, const std::set<std::string>& outer_names, std::set<std::string>& unsupported);
  int slot_for(const std::string& name);
  void plan_releases();
  Status run_step(const Step& step, std::vector<Tensor>& slots, const Scope& scope, StepObserver* observer,
                  const BodyFrame* frame) const;

  const Graph& graph_;
  std::unordered_map<std::string, int> slots_;
  std::vector<std::string> slot_names_;
  std::vector<int> outer_slots_;  // slots read from enclosing scopes
  std::vector<Step> steps_;
  std::vector<int> input_slots_, output_slots_;
  std::vector<std::pair<int, const Tensor*>> constants_;
  std::map<const Graph*, std::unique_ptr<GraphExecutor>> children_;
  std::map<const Graph*, const Node*> owners_;
};

}  // namespace ew
