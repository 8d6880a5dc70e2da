#include "runtime/session.h"

#include <algorithm>

#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "ops/shape_inference.h"

namespace ew {

Result<std::unique_ptr<Session>> Session::load(const std::string& path, const SessionOptions& options) {
  EW_ASSIGN_OR_RETURN(Model model, load_onnx(path));
  auto s = create(std::move(model), options);
  if (!s.is_ok()) return s.status().with_context(path + ": ");
  return s;
}

Result<std::unique_ptr<Session>> Session::create(Model model, const SessionOptions& options) {
  std::unique_ptr<Session> s(new Session());
  s->model_ = std::move(model);
  s->options_ = options;
  if (s->model_.opset("") == 0 && !s->model_.graph.nodes.empty())
    s->model_.opsets.push_back({"", 1});
  EW_RETURN_IF_ERROR(optimize_model(s->model_, options.opt_level));
  EW_ASSIGN_OR_RETURN(s->exec_, GraphExecutor::compile(s->model_.graph, s->model_));
  if (options.infer_shapes) EW_RETURN_IF_ERROR(infer_shapes(s->model_));
  if (options.threads < 0 || options.threads > 1024)
    return invalid_argument("threads must be between 0 (all cores) and 1024, got " + std::to_string(options.threads));
  if (options.threads != 1) s->threadpool_ = pthreadpool_create(static_cast<size_t>(options.threads));
  // With fully static inputs, plan now: loading then includes all compilation.
  bool static_inputs = true;
  for (const auto& v : s->model_.graph.inputs) static_inputs &= v.type.fully_known();
  if (static_inputs) {
    EW_ASSIGN_OR_RETURN(auto plan, s->build_plan({}));
    s->plans_.push_back(std::move(plan));
    s->memory_stats_.plans = 1;
  }
  return s;
}

Session::~Session() {
  plans_.clear();  // plans use the thread pool
  if (threadpool_) pthreadpool_destroy(threadpool_);
}

Result<std::map<std::string, int64_t>> Session::check_inputs(const std::map<std::string, Tensor>& inputs) const {
  std::map<std::string, int64_t> bound;
  for (const auto& [name, t] : inputs) {
    bool known = false;
    for (const auto& v : model_.graph.inputs) known |= v.name == name;
    if (!known) {
      std::string names;
      for (const auto& v : model_.graph.inputs) names += (names.empty() ? "" : ", ") + v.name;
      return invalid_argument("the model has no input named '" + name + "' (inputs: " + names + ")");
    }
  }
  for (const auto& v : model_.graph.inputs) {
    auto it = inputs.find(v.name);
    if (it == inputs.end()) return invalid_argument("missing input '" + v.name + "' (" + v.type.to_string() + ")");
    const Tensor& t = it->second;
    if (v.type.dtype != DType::kUndefined && t.dtype() != v.type.dtype)
      return invalid_argument("input '" + v.name + "' must be " + dtype_name(v.type.dtype) + ", got " + t.describe());
    if (!v.type.has_shape) continue;
    if (t.rank() != static_cast<int64_t>(v.type.dims.size()))
      return invalid_argument("input '" + v.name + "' must have shape " + v.type.to_string() + ", got " + t.describe());
    for (size_t d = 0; d < v.type.dims.size(); ++d) {
      const Dim& dim = v.type.dims[d];
      if (dim.known() && dim.value != t.dim(d))
        return invalid_argument("input '" + v.name + "' must have shape " + v.type.to_string() + ", got " +
                                t.describe() + " (dimension " + std::to_string(d) + ")");
      if (dim.known() || dim.symbol.empty()) continue;
      auto [b, inserted] = bound.emplace(dim.symbol, t.dim(d));
      if (!inserted && b->second != t.dim(d))
        return invalid_argument("input '" + v.name + "' binds dimension '" + dim.symbol + "' to " +
                                std::to_string(t.dim(d)) + ", but another input bound it to " + std::to_string(b->second));
    }
  }
  return bound;
}

Result<std::vector<Tensor>> Session::run(const std::map<std::string, Tensor>& inputs, StepObserver* observer) const {
  auto bound = check_inputs(inputs);
  if (!bound.is_ok()) return bound.status();
  std::vector<Tensor> ordered, outputs;
  for (const auto& v : model_.graph.inputs) ordered.push_back(inputs.at(v.name));
  EW_RETURN_IF_ERROR(run(ordered, outputs, observer));
  return outputs;
}

Status Session::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs, StepObserver* observer) const {
  std::lock_guard<std::mutex> lock(mutex_);
  EW_ASSIGN_OR_RETURN(ExecutionPlan * plan, plan_for(inputs));
  return plan->run(inputs, outputs, observer);
}

Status Session::prepare(const std::vector<Tensor>& inputs) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return plan_for(inputs).status();
}

Result<const ExecutionPlan*> Session::plan(const std::vector<Tensor>& inputs) const {
  std::lock_guard<std::mutex> lock(mutex_);
  EW_ASSIGN_OR_RETURN(ExecutionPlan * p, plan_for(inputs));
  return static_cast<const ExecutionPlan*>(p);
}

// The plan for these input shapes: the last one used when it matches (no
// allocation on this path), else a cached one, else a new one.
Result<ExecutionPlan*> Session::plan_for(const std::vector<Tensor>& inputs) const {
  for (size_t i = 0; i < plans_.size(); ++i) {
    if (!plans_[i]->matches(inputs)) continue;
    if (i > 0) std::rotate(plans_.begin(), plans_.begin() + static_cast<long>(i), plans_.begin() + static_cast<long>(i) + 1);
    return plans_.front().get();
  }
  const auto& declared = model_.graph.inputs;
  if (inputs.size() != declared.size())
    return invalid_argument("the model takes " + std::to_string(declared.size()) + " inputs, got " +
                            std::to_string(inputs.size()));
  std::map<std::string, Tensor> named;
  for (size_t i = 0; i < inputs.size(); ++i) named[declared[i].name] = inputs[i];
  EW_ASSIGN_OR_RETURN(auto bound, check_inputs(named));
  EW_ASSIGN_OR_RETURN(auto plan, build_plan(bound));
  constexpr size_t kMaxPlans = 8;
  if (plans_.size() >= kMaxPlans) plans_.pop_back();
  plans_.insert(plans_.begin(), std::move(plan));
  const PlanSummary& sum = plans_.front()->summary();
  memory_stats_ = MemoryStats{sum.arena_bytes, sum.naive_bytes, memory_stats_.plans + 1};
  return plans_.front().get();
}

Result<std::unique_ptr<ExecutionPlan>> Session::build_plan(const std::map<std::string, int64_t>& dims) const {
  Model m = model_;
  bind_symbolic_dims(m, dims, 1);
  m.graph.value_types.clear();
  EW_RETURN_IF_ERROR(infer_shapes(m));
  // With every input dim known, shape computations fold to constants here.
  if (options_.opt_level > 0 && !dims.empty()) {
    EW_RETURN_IF_ERROR(optimize_model(m, options_.opt_level));
    m.graph.value_types.clear();
    EW_RETURN_IF_ERROR(infer_shapes(m));
  }
  PlanOptions po;
  po.fast_kernels = options_.fast_kernels;
  po.use_backends = options_.use_backends;
  po.backend = options_.backend;
  po.fp16 = options_.fp16;
  po.bf16 = options_.bf16;
  po.tuning_cache_dir = options_.tuning_cache == "none" ? ""
                        : options_.tuning_cache.empty() ? default_tuning_cache_dir()
                                                        : options_.tuning_cache;
  po.threads = threadpool_ ? static_cast<int>(pthreadpool_get_threads_count(threadpool_)) : 1;
  po.threadpool = threadpool_;
  return ExecutionPlan::build(std::move(m), po);
}

MemoryStats Session::memory_stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (plans_.empty()) return memory_stats_;
  const PlanSummary& sum = plans_.front()->summary();
  return MemoryStats{sum.arena_bytes, sum.naive_bytes, memory_stats_.plans};
}

PlanSummary Session::plan_summary() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return plans_.empty() ? PlanSummary{} : plans_.front()->summary();
}

}  // namespace ew
