// A partition: a run of consecutive steps of a compiled graph that one backend
// executes as a single unit (e.g. one XNNPACK runtime). Consecutive in the
// executor's topological order, so replacing them by one step can never
// create a cycle.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew {

struct Partition {
  int begin = 0, end = 0;            // executor step range [begin, end)
  std::vector<std::string> inputs;   // values read from outside (not constants)
  std::vector<std::string> outputs;  // values read after the partition or returned by the graph
  std::vector<const Node*> nodes;    // the nodes it covers, in order
  std::unique_ptr<PreparedKernel> kernel;  // run(ctx): inputs in `inputs` order, outputs in `outputs` order
  const char* backend = "";
  bool own_threads = false;    // the backend runs on threads of its own (Backend::own_threads)
  bool single_thread = false;  // compiled to run on the calling thread only
};

// Types of values as the planner knows them (concrete when static).
class TypeLookup {
 public:
  virtual ~TypeLookup() = default;
  virtual const ValueType* type(const std::string& name) const = 0;   // nullptr when unknown
  virtual const Tensor* constant(const std::string& name) const = 0;  // initializer value, else nullptr
  virtual int64_t opset(const std::string& domain) const = 0;         // the model's opset of a domain, 0 if none
};

// The executor's steps as a backend sees them: the nodes in run order, what
// each reads (values its subgraphs read from outside included) and the graph's
// outputs. The runtime hands this down, so backends never reach up into it.
struct StepList {
  std::vector<const Node*> nodes;
  std::vector<int64_t> opsets;  // each node's opset (of its domain)
  std::vector<std::set<std::string>> reads;
  std::set<std::string> graph_outputs;
  size_t size() const { return nodes.size(); }
};

// Fills p.inputs (non-constant values read from outside), p.outputs (values
// read after the partition or returned) and p.nodes for steps [p.begin, p.end).
void find_partition_boundary(const StepList& steps, const TypeLookup& types, Partition& p);

}  // namespace ew
