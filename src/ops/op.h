// The operator interface. Each operator lives in one file under src/ops/<group>/
// and registers an OpDef with two functions:
//
//   infer(InferContext&)  computes output dtypes and shapes from input types.
//                         It runs twice in a model's life: statically at load
//                         (symbolic dims such as "N" stay symbolic, values are
//                         known only for constants), and at run time with every
//                         input concrete and its value available, where it
//                         fixes the shapes the executor allocates.
//   run(KernelContext&)   computes the outputs. Outputs whose shape infer fixed
//                         are already allocated; ops whose output shape depends
//                         on input data (NonZero, Compress, ...) leave it
//                         unknown in infer and call allocate_output() in run.
//
// Both return a Status naming what is wrong; neither may abort on bad data.
#pragma once

#include <climits>
#include <functional>
#include <string>
#include <vector>

#include <pthreadpool.h>

#include <memory>

#include "core/tensor.h"
#include "ir/graph.h"

namespace ew {

class InferContext {
 public:
  InferContext(const Node& node, int64_t opset, std::vector<const ValueType*> input_types,
               std::vector<const Tensor*> input_values);

  const Node& node() const { return node_; }
  int64_t opset() const { return opset_; }
  int num_inputs() const { return static_cast<int>(input_types_.size()); }
  bool has_input(int i) const { return i < num_inputs() && input_types_[i] != nullptr; }
  // Type of input i; an undefined type for absent inputs.
  const ValueType& input_type(int i) const;
  // Value of input i when known (constants; every input at run time), else nullptr.
  const Tensor* input_value(int i) const;
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  bool has_output(int i) const { return i < num_outputs() && !node_.outputs[i].empty(); }

  void set_output(int i, ValueType t);
  void set_output(int i, DType dtype, const Shape& shape) { set_output(i, ValueType::of(dtype, shape)); }
  void set_output(int i, DType dtype, std::vector<Dim> dims) { set_output(i, ValueType{dtype, true, std::move(dims)}); }
  // Output i has a known dtype but unknown rank (shape decided at run time by the kernel).
  void set_output_dtype_only(int i, DType dtype) { set_output(i, ValueType{dtype, false, {}}); }
  // Records the constant value of an output (for folding; optional).
  void set_output_value(int i, Tensor value);

  const std::vector<ValueType>& output_types() const { return outputs_; }
  const std::vector<Tensor>& output_values() const { return output_values_; }

  // Error helpers that prefix the node label.
  Status error(const std::string& message) const;

 private:
  const Node& node_;
  int64_t opset_;
  std::vector<const ValueType*> input_types_;
  std::vector<const Tensor*> input_values_;
  std::vector<ValueType> outputs_;
  std::vector<Tensor> output_values_;
};

// Runs a subgraph (If/Loop/Scan body) in the scope of the calling node, so the
// body can read values of the enclosing graphs.
class SubgraphRunner {
 public:
  virtual ~SubgraphRunner() = default;
  // `iteration`: which run of the body this is within the node's current
  // execution (the Loop/Scan iteration; 0 for If), reported to step observers.
  virtual Result<std::vector<Tensor>> run(const Graph& body, const std::vector<Tensor>& inputs,
                                          int64_t iteration = 0) = 0;
};

class KernelContext {
 public:
  KernelContext(const Node& node, int64_t opset, std::vector<const Tensor*> inputs, std::vector<Tensor>* outputs,
                SubgraphRunner* subgraphs, pthreadpool_t threadpool = nullptr);
  // Borrows `inputs` (which must outlive the context): no copy, for the planned executor's hot path.
  KernelContext(const Node& node, int64_t opset, const std::vector<const Tensor*>* inputs,
                std::vector<Tensor>* outputs, SubgraphRunner* subgraphs, pthreadpool_t threadpool);
  KernelContext(const KernelContext&) = delete;
  KernelContext& operator=(const KernelContext&) = delete;

  const Node& node() const { return node_; }
  int64_t opset() const { return opset_; }
  int num_inputs() const { return static_cast<int>(inputs_->size()); }
  bool has_input(int i) const { return i < num_inputs() && (*inputs_)[i] != nullptr; }
  const Tensor& input(int i) const { return *(*inputs_)[i]; }  // only when has_input(i)
  int num_outputs() const { return static_cast<int>(outputs_->size()); }
  bool has_output(int i) const { return i < num_outputs() && !node_.outputs[i].empty(); }
  // The output tensor; allocated already when infer fixed its shape (check defined()).
  Tensor& output(int i) { return (*outputs_)[i]; }
  Result<Tensor*> allocate_output(int i, DType dtype, Shape shape);
  // Sets output i to an existing tensor (shares its bytes; e.g. Identity, Reshape).
  void set_output(int i, Tensor t) { (*outputs_)[i] = std::move(t); }
  SubgraphRunner* subgraphs() { return subgraphs_; }
  // The session's thread pool (nullptr: run on the calling thread).
  pthreadpool_t threadpool() const { return threadpool_; }

  Status error(const std::string& message) const;

 private:
  const Node& node_;
  int64_t opset_;
  std::vector<const Tensor*> owned_inputs_;
  const std::vector<const Tensor*>* inputs_;
  std::vector<Tensor>* outputs_;
  SubgraphRunner* subgraphs_;
  pthreadpool_t threadpool_;
};

using InferFn = Status (*)(InferContext&);
using KernelFn = Status (*)(KernelContext&);

struct OpDef {
  std::string op_type;
  std::string domain;       // "" for the default ONNX domain, "com.microsoft", ...
  int since_version = 1;    // lowest opset of the domain this implementation covers
  InferFn infer = nullptr;
  KernelFn run = nullptr;
};

class OpRegistry {
 public:
  static bool add(OpDef def);
  // The op for a domain/type at an opset, or nullptr.
  static const OpDef* find(const std::string& domain, const std::string& op_type, int64_t opset);
  static std::vector<const OpDef*> all();
};

// Fast kernels. A fast implementation of an op is prepared once per node and
// input shape, when every input type is concrete: it may pack or transform
// constant weights then. prepare() returns nullptr when the case is not one it
// handles (dtype, attributes, shapes), and the reference kernel runs instead.
// The reference kernel stays the oracle: tests run both on the same inputs.
class PreparedKernel {
 public:
  virtual ~PreparedKernel() = default;
  // Outputs are allocated (shapes from the reference op's infer) before run.
  virtual Status run(KernelContext& ctx) = 0;
};

struct PrepareContext {
  const Node& node;
  int64_t opset;
  std::vector<ValueType> input_types;       // concrete; undefined for absent inputs
  std::vector<const Tensor*> input_values;  // constant inputs (initializers), else nullptr
  std::vector<ValueType> output_types;      // concrete
  pthreadpool_t threadpool = nullptr;
};

using PrepareFn = Result<std::unique_ptr<PreparedKernel>> (*)(const PrepareContext&);

struct FastKernelDef {
  std::string op_type;
  std::string domain;
  int since_version = 1;
  std::string name;  // e.g. "winograd_f4x3", shown by the profiler
  PrepareFn prepare = nullptr;
  // Kernels of higher priority are offered a node first: a specialized kernel
  // (Winograd, depthwise) before the general one that also takes its cases.
  int priority = 0;
};

class FastKernels {
 public:
  static bool add(FastKernelDef def);
  // Every fast kernel for a domain/type valid at `opset`, highest priority
  // first, in registration order among equal priorities.
  static std::vector<const FastKernelDef*> find(const std::string& domain, const std::string& op_type, int64_t opset);
};

}  // namespace ew

// Registers a fast kernel; use once at namespace scope in its file:
//   EW_REGISTER_FAST_KERNEL(.op_type = "MatMul", .name = "sgemm", .prepare = prepare_matmul);
#define EW_REGISTER_FAST_KERNEL(...) \
  static const bool EW_CONCAT(ew_registered_fast_kernel_, __LINE__) = ::ew::FastKernels::add(::ew::FastKernelDef{__VA_ARGS__})

// Registers an operator; use once at namespace scope in the op's file:
//   EW_REGISTER_OP(.op_type = "Relu", .infer = infer_same_as_input, .run = run_relu);
#define EW_REGISTER_OP(...) \
  static const bool EW_CONCAT(ew_registered_op_, __LINE__) = ::ew::OpRegistry::add(::ew::OpDef{__VA_ARGS__})
