#include "runtime/execution_plan.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <set>

#include "backends/backend.h"
#include "backends/backend_choice.h"
#include "core/memory_planner.h"

namespace ew {

struct ExecutionPlan::Step {
  const Node* node = nullptr;
  const OpDef* op = nullptr;
  int64_t opset = 0;
  std::vector<int> inputs, outputs;   // slots (-1: absent)
  std::vector<const Tensor*> in;      // &slots_[input], fixed at plan time
  std::vector<Tensor> out;            // what the kernel writes (planned views when static)
  std::vector<Tensor> planned;        // the planned view of each output (undefined when dynamic)
  std::vector<int> release_after;     // dynamic slots whose last reader is this step
  std::unique_ptr<PreparedKernel> kernel;
  std::vector<const Node*> nodes;
  const char* backend = "reference";
  bool dynamic = false;    // output shapes depend on data: infer and allocate per run
  bool view_only = false;  // its output is a view of its input: nothing to run
  bool zero_fill = false;  // reference kernels get zeroed outputs, as freshly allocated ones were
  bool own_threads = false;  // a backend running on threads of its own (oneDNN's OpenMP)
  bool single_thread = false;  // chosen to run on the calling thread only (faster there than split)
};

namespace {

bool known(const ValueType& t) { return t.dtype != DType::kUndefined && t.fully_known(); }

// Ops whose output is the input's bytes under another shape.
bool is_view_op(const Node& n) {
  if (!n.domain.empty()) return false;
  if (n.op_type == "Dropout")
    return (n.outputs.size() < 2 || n.outputs[1].empty()) && (n.inputs.size() < 3 || n.inputs[2].empty());
  return n.op_type == "Reshape" || n.op_type == "Flatten" || n.op_type == "Squeeze" || n.op_type == "Unsqueeze" ||
         n.op_type == "Identity";
}

// Every partial product of the dims fits, and so does the whole tensor.
bool allocatable(const ValueType& t) {
  int64_t product = 1;
  for (const Dim& d : t.dims) {
    int64_t v = std::max<int64_t>(d.value, 1);
    if (product > max_tensor_bytes() / v) return false;
    product *= v;
  }
  return product <= max_tensor_bytes() / static_cast<int64_t>(std::max<size_t>(dtype_size(t.dtype), 1));
}

int64_t value_bytes(const ValueType& t) {
  return shape_numel(t.concrete_shape()).value_or(0) * static_cast<int64_t>(dtype_size(t.dtype));
}

// Elementwise ops whose kernels (reference and fast) read element i before
// writing element i, so their output may overwrite their dying input.
bool is_in_place_op(const Node& n) {
  static const char* const kOps[] = {"Relu", "Sigmoid", "Tanh", "Exp", "Log", "Neg", "Abs", "Sqrt", "Erf",
                                     "Reciprocal", "Floor", "Ceil", "Softplus", "Softsign", "Elu", "Selu",
                                     "LeakyRelu", "HardSigmoid", "HardSwish", "Mish", "Gelu"};
  if (n.domain == "com.microsoft") return n.op_type == "Gelu";
  if (!n.domain.empty() || n.inputs.size() != 1 || n.outputs.size() != 1) return false;
  for (const char* op : kOps)
    if (n.op_type == op) return true;
  return false;
}

class PlanTypes : public TypeLookup {
 public:
  PlanTypes(const GraphExecutor& exec, const std::vector<ValueType>& types, const Model& model)
      : exec_(exec), types_(types), graph_(model.graph), model_(model) {}
  const ValueType* type(const std::string& name) const override {
    int s = exec_.slot_of(name);
    return s >= 0 && types_[s].dtype != DType::kUndefined ? &types_[s] : nullptr;
  }
  const Tensor* constant(const std::string& name) const override {
    auto it = graph_.initializers.find(name);
    return it == graph_.initializers.end() ? nullptr : &it->second;
  }
  int64_t opset(const std::string& domain) const override { return model_.opset(domain); }

 private:
  const GraphExecutor& exec_;
  const std::vector<ValueType>& types_;
  const Graph& graph_;
  const Model& model_;
};

}  // namespace

ExecutionPlan::~ExecutionPlan() = default;

Result<std::unique_ptr<ExecutionPlan>> ExecutionPlan::build(Model model, const PlanOptions& options) {
  std::unique_ptr<ExecutionPlan> plan(new ExecutionPlan());
  plan->model_ = std::move(model);
  EW_RETURN_IF_ERROR(plan->compile(options));
  return plan;
}

const ValueType* ExecutionPlan::type_of(int slot) const { return &slot_types_[slot]; }

Status ExecutionPlan::compile(const PlanOptions& options) {
  threadpool_ = options.threadpool;
  EW_ASSIGN_OR_RETURN(exec_, GraphExecutor::compile(model_.graph, model_));
  const Graph& g = model_.graph;
  int n = exec_->num_slots();
  slots_.resize(n);
  slot_types_.resize(n);
  for (const auto& [name, vt] : g.value_types) {
    int s = exec_->slot_of(name);
    if (s >= 0) slot_types_[s] = vt;
  }
  for (const auto& v : g.outputs) slot_types_[exec_->slot_of(v.name)] = v.type;
  for (const auto& v : g.inputs) slot_types_[exec_->slot_of(v.name)] = v.type;
  constant_of_slot_.assign(n, nullptr);
  for (const auto& [s, t] : exec_->constants()) {
    constant_of_slot_[s] = t;
    slots_[s] = *t;
    slot_types_[s] = ValueType::of(t->dtype(), t->shape());
  }
  for (int s : exec_->input_slots()) input_types_.push_back(slot_types_[s]);
  // Types no tensor could have (a model declaring absurd dims) are left to the
  // dynamic path, whose allocation then fails with a clear error; kernels and
  // XNNPACK never see their sizes.
  for (int s = 0; s < n; ++s)
    if (known(slot_types_[s]) && !allocatable(slot_types_[s])) slot_types_[s] = ValueType{};

  std::vector<Partition> partitions;
  EW_RETURN_IF_ERROR(place_partitions(options, partitions));
  const auto& steps = exec_->steps();
  size_t p = 0;
  for (size_t k = 0; k < steps.size();) {
    if (p < partitions.size() && partitions[p].begin == static_cast<int>(k)) {
      add_partition_step(partitions[p]);
      k = static_cast<size_t>(partitions[p++].end);
      continue;
    }
    add_node_step(k, options);
    ++k;
  }
  return plan_memory_and_views();
}

std::unique_ptr<PreparedKernel> ExecutionPlan::prepare_fast_kernel(const GraphExecutor::Step& s,
                                                                   const PlanOptions& options,
                                                                   const char** name) const {
  bool known_types = true;
  for (int i : s.inputs) known_types &= i < 0 || known(slot_types_[i]);
  for (int o : s.outputs) known_types &= o < 0 || known(slot_types_[o]);
  if (!known_types || !options.fast_kernels) return nullptr;
  for (const FastKernelDef* def : FastKernels::find(s.node->domain, s.node->op_type, s.opset)) {
    PrepareContext pc{*s.node, s.opset, {}, {}, {}, options.threadpool};
    for (int i : s.inputs) {
      pc.input_types.push_back(i >= 0 ? slot_types_[i] : ValueType{});
      pc.input_values.push_back(i >= 0 ? constant_of_slot_[i] : nullptr);
    }
    for (int o : s.outputs) pc.output_types.push_back(o >= 0 ? slot_types_[o] : ValueType{});
    auto prepared = def->prepare(pc);
    if (prepared.is_ok() && prepared.value()) {
      *name = def->name.c_str();
      return std::move(prepared).value();
    }
  }
  return nullptr;
}

StepList ExecutionPlan::step_list() const {
  StepList list;
  for (const auto& s : exec_->steps()) {
    list.nodes.push_back(s.node);
    list.opsets.push_back(s.opset);
    std::set<std::string> reads(s.node->inputs.begin(), s.node->inputs.end());
    for (const auto& name : node_implicit_inputs(*s.node)) reads.insert(name);
    reads.erase("");
    list.reads.push_back(std::move(reads));
  }
  for (const auto& v : model_.graph.outputs) list.graph_outputs.insert(v.name);
  return list;
}

Status ExecutionPlan::place_partitions(const PlanOptions& options, std::vector<Partition>& partitions) {
  const auto& steps = exec_->steps();
  preferred_.resize(steps.size());
  preferred_names_.assign(steps.size(), nullptr);
  if (!options.use_backends) return Status::ok();
  if (options.bf16) {
    bool any = false;
    for (const Backend* b : available_backends()) any |= b->has_bf16();
    if (!any)
      summary_.precision_note = "bf16: no backend has bf16 arithmetic on this CPU (it needs AVX512-BF16 or AMX); "
                                "running fp32";
  }
  PlanTypes types(*exec_, slot_types_, model_);
  BackendOptions bo{options.threads, options.threadpool, options.fp16, options.bf16};
  if (options.backend != "auto") {
    const Backend* backend = find_backend(options.backend);
    if (!backend) return invalid_argument("backend '" + options.backend + "' is not available here");
    partitions = partition_for(*backend, step_list(), types, bo, {}, &summary_.diagnostics);
    return Status::ok();
  }
  ChoiceOptions co;
  co.backend = bo;
  co.backends = available_backends();
  co.cache_dir = options.tuning_cache_dir;
  if (options.fast_kernels)
    co.ours = [&](int k, bool single, const char** name) {
      PlanOptions o = options;
      if (single) o.threadpool = nullptr;
      return prepare_fast_kernel(steps[k], o, name);
    };
  EW_ASSIGN_OR_RETURN(ChosenPlan chosen, choose_backends(step_list(), types, co));
  partitions = std::move(chosen.partitions);
  preferred_single_.assign(steps.size(), 0);
  for (size_t k = 0; k < steps.size(); ++k)
    if (chosen.ours[k]) {
      preferred_[k] = std::move(chosen.ours[k]);
      preferred_names_[k] = chosen.ours_names[k];
      preferred_single_[k] = chosen.ours_single[k];
    }
  summary_.choices = std::move(chosen.choices);
  summary_.tuning_from_cache = chosen.from_cache;
  summary_.tuning_seconds = chosen.tuning_seconds;
  return Status::ok();
}

void ExecutionPlan::add_partition_step(Partition& p) {
  auto st = std::make_unique<Step>();
  st->node = p.nodes.front();
  st->nodes = p.nodes;
  st->kernel = std::move(p.kernel);
  st->backend = p.backend;
  st->own_threads = p.own_threads;
  st->single_thread = p.single_thread;
  for (const auto& name : p.inputs) st->inputs.push_back(exec_->slot_of(name));
  for (const auto& name : p.outputs) st->outputs.push_back(exec_->slot_of(name));
  summary_.partitions++;
  summary_.partition_nodes += static_cast<int>(p.nodes.size());
  summary_.backend_nodes[p.backend] += static_cast<int>(p.nodes.size());
  steps_.push_back(std::move(st));
}

void ExecutionPlan::add_node_step(size_t k, const PlanOptions& options) {
  const GraphExecutor::Step& s = exec_->steps()[k];
  auto st = std::make_unique<Step>();
  st->node = s.node;
  st->op = s.op;
  st->opset = s.opset;
  st->inputs = s.inputs;
  st->outputs = s.outputs;
  st->nodes = {s.node};
  bool inputs_known = true, outputs_known = true;
  for (int i : s.inputs) inputs_known &= i < 0 || known(slot_types_[i]);
  for (int o : s.outputs) outputs_known &= o < 0 || known(slot_types_[o]);
  st->dynamic = !outputs_known;
  if (k < preferred_.size() && preferred_[k]) {
    st->kernel = std::move(preferred_[k]);
    st->backend = preferred_names_[k];
    st->single_thread = k < preferred_single_.size() && preferred_single_[k];
  } else if (!st->dynamic && inputs_known) {
    st->kernel = prepare_fast_kernel(s, options, &st->backend);
  }
  st->zero_fill = !st->dynamic && !st->kernel;
  steps_.push_back(std::move(st));
}

Status ExecutionPlan::plan_memory_and_views() {
  int n = exec_->num_slots();
  std::vector<char> is_output(n, 0), is_fixed(n, 0);
  for (int s : exec_->output_slots()) is_output[s] = 1;
  for (int s : exec_->input_slots()) is_fixed[s] = 1;
  for (const auto& [s, t] : exec_->constants()) is_fixed[s] = 1;
  std::vector<int> producer(n, -1), last_use(n, -1);
  for (size_t k = 0; k < steps_.size(); ++k) {
    Step& st = *steps_[k];
    for (int s : st.inputs) if (s >= 0) last_use[s] = static_cast<int>(k);
    for (const Node* node : st.nodes)
      for (const auto& name : node_implicit_inputs(*node)) {
        int s = exec_->slot_of(name);
        if (s >= 0) last_use[s] = static_cast<int>(k);
      }
    for (int s : st.outputs) if (s >= 0) producer[s] = static_cast<int>(k);
  }
  // Which values live in the arena; views share their input's bytes.
  std::vector<char> planned(n, 0);
  std::vector<int> root(n);
  std::iota(root.begin(), root.end(), 0);
  for (int s = 0; s < n; ++s)
    planned[s] = producer[s] >= 0 && !steps_[producer[s]]->dynamic && !is_output[s] && !is_fixed[s] &&
                 known(slot_types_[s]);
  for (auto& stp : steps_) {
    Step& st = *stp;
    if (st.dynamic || st.kernel || !is_view_op(*st.node) || st.inputs.empty() || st.outputs.size() < 1) continue;
    int in = st.inputs[0], out = st.outputs[0];
    if (in < 0 || out < 0 || !planned[in] || !planned[out]) continue;
    if (slot_types_[in].dtype != slot_types_[out].dtype) continue;
    st.view_only = true;
    root[out] = root[in];
  }
  int64_t naive_bytes = 0;
  for (int s = 0; s < n; ++s)
    if (planned[s] && root[s] == s) naive_bytes += value_bytes(slot_types_[s]);
  plan_in_place(planned, producer, last_use, root);
  std::vector<TensorLifetime> lifetimes;
  std::vector<int> lifetime_of(n, -1);
  for (int s = 0; s < n; ++s) {
    if (!planned[s] || root[s] != s) continue;
    lifetime_of[s] = static_cast<int>(lifetimes.size());
    lifetimes.push_back({value_bytes(slot_types_[s]), producer[s], std::max(producer[s], last_use[s])});
  }
  for (int s = 0; s < n; ++s) {
    if (!planned[s] || root[s] == s) continue;
    TensorLifetime& lt = lifetimes[lifetime_of[root[s]]];
    lt.last = std::max({lt.last, last_use[s], producer[s]});
  }
  MemoryPlan mem = plan_memory(lifetimes);
  EW_ASSIGN_OR_RETURN(arena_, Buffer::allocate(static_cast<size_t>(std::max<int64_t>(mem.arena_bytes, 64))));
  summary_.arena_bytes = mem.arena_bytes;
  summary_.naive_bytes = naive_bytes;

  for (size_t k = 0; k < steps_.size(); ++k) {
    Step& st = *steps_[k];
    st.in.clear();
    for (int s : st.inputs) st.in.push_back(s >= 0 ? &slots_[s] : nullptr);
    st.out.assign(st.outputs.size(), Tensor());
    st.planned.assign(st.outputs.size(), Tensor());
    for (size_t i = 0; i < st.outputs.size(); ++i) {
      int s = st.outputs[i];
      if (s < 0 || st.dynamic) continue;
      const ValueType& vt = slot_types_[s];
      if (planned[s]) {
        size_t offset = static_cast<size_t>(mem.offsets[lifetime_of[root[s]]]);
        EW_ASSIGN_OR_RETURN(Tensor view, Tensor::view(arena_, offset, vt.dtype, vt.concrete_shape()));
        slots_[s] = view;
        st.planned[i] = view;
        st.out[i] = view;
      } else if (is_output[s]) {
        GraphOutput go;
        go.slot = s;
        go.producer = &st;
        go.index = static_cast<int>(i);
        graph_outputs_.push_back(go);
      }
    }
  }
  EW_RETURN_IF_ERROR(refresh_graph_outputs({}));
  // Dynamic values are dropped after their last reader.
  for (int s = 0; s < n; ++s) {
    if (planned[s] || is_fixed[s] || is_output[s] || last_use[s] < 0 || producer[s] < 0) continue;
    bool produced_static = !steps_[producer[s]]->dynamic;
    if (produced_static && known(slot_types_[s])) continue;
    steps_[last_use[s]]->release_after.push_back(s);
  }
  summary_.steps = static_cast<int>(steps_.size());
  for (const auto& st : steps_) {
    if (st->view_only) summary_.view_steps++;
    else if (st->dynamic) summary_.dynamic_steps++;
    else if (st->op && st->kernel) summary_.fast_kernel_steps++;
    else if (st->op) summary_.reference_steps++;
  }
  return Status::ok();
}

// An elementwise step whose input dies at that step writes its output over
// the input's bytes: the two values share one lifetime in the arena.
void ExecutionPlan::plan_in_place(const std::vector<char>& planned, const std::vector<int>& producer,
                                  const std::vector<int>& last_use, std::vector<int>& root) {
  int n = static_cast<int>(root.size());
  std::vector<int> group_last(n, -1);  // last reader of each alias group, by root
  for (int s = 0; s < n; ++s)
    if (planned[s]) group_last[root[s]] = std::max({group_last[root[s]], last_use[s], producer[s]});
  for (size_t k = 0; k < steps_.size(); ++k) {
    Step& st = *steps_[k];
    if (st.view_only || st.dynamic || !is_in_place_op(*st.node)) continue;
    int in = st.inputs[0], out = st.outputs[0];
    if (in < 0 || out < 0 || !planned[in] || !planned[out] || root[out] != out) continue;
    if (group_last[root[in]] != static_cast<int>(k) || value_bytes(slot_types_[in]) != value_bytes(slot_types_[out]))
      continue;
    int r = root[in];
    for (int s = 0; s < n; ++s)
      if (planned[s] && root[s] == out) root[s] = r;
    group_last[r] = std::max(group_last[r], group_last[out]);
    st.zero_fill = false;  // zeroing the output would erase the input
    summary_.in_place_steps++;
  }
}

// Graph outputs get buffers of their own, reused run after run unless the
// caller still holds the previous result (then a fresh one is allocated).
Status ExecutionPlan::refresh_graph_outputs(const std::vector<Tensor>& outputs) {
  for (auto& go : graph_outputs_) {
    if (go.buffer) {
      long held_by_caller = 0;
      for (const Tensor& t : outputs) held_by_caller += t.shares_buffer_with(slots_[go.slot]);
      // Owners inside the plan: go.buffer, slots_, the producer's planned and out views.
      if (go.buffer.use_count() - held_by_caller <= 4) continue;
    }
    const ValueType& vt = slot_types_[go.slot];
    size_t bytes = static_cast<size_t>(shape_numel(vt.concrete_shape()).value_or(0)) * dtype_size(vt.dtype);
    EW_ASSIGN_OR_RETURN(go.buffer, Buffer::allocate(bytes));
    EW_ASSIGN_OR_RETURN(Tensor view, Tensor::view(go.buffer, 0, vt.dtype, vt.concrete_shape()));
    slots_[go.slot] = view;
    go.producer->planned[go.index] = view;
    go.producer->out[go.index] = view;
  }
  return Status::ok();
}

std::vector<PlanStepInfo> ExecutionPlan::step_infos() const {
  std::vector<PlanStepInfo> out;
  auto names = [&](const std::vector<int>& slots) {
    std::vector<std::string> v;
    for (int s : slots) v.push_back(s >= 0 ? exec_->slot_name(s) : std::string());
    return v;
  };
  for (const auto& st : steps_)
    out.push_back({st->node, st->nodes, names(st->inputs), names(st->outputs),
                   st->view_only ? "view" : st->dynamic ? "reference" : st->backend, st->dynamic});
  return out;
}

bool ExecutionPlan::matches(const std::vector<Tensor>& inputs) const {
  if (inputs.size() != input_types_.size()) return false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueType& vt = input_types_[i];
    const Tensor& t = inputs[i];
    if (t.dtype() != vt.dtype || !vt.has_shape || t.rank() != static_cast<int64_t>(vt.dims.size())) return false;
    for (size_t d = 0; d < vt.dims.size(); ++d)
      if (!vt.dims[d].known() || vt.dims[d].value != t.dim(static_cast<int64_t>(d))) return false;
  }
  return true;
}

Status ExecutionPlan::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs, StepObserver* observer) {
  const auto& input_slots = exec_->input_slots();
  if (inputs.size() != input_slots.size())
    return invalid_argument("the model takes " + std::to_string(input_slots.size()) + " inputs, got " +
                            std::to_string(inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) slots_[input_slots[i]] = inputs[i];
  EW_RETURN_IF_ERROR(refresh_graph_outputs(outputs));
  Scope scope{exec_.get(), &slots_, nullptr};
  ScopeSubgraphRunner subgraphs(*exec_, scope, observer);
  // Two thread pools take turns here: the session's pthreadpool (XNNPACK, our
  // kernels) and oneDNN's OpenMP threads. Before a oneDNN step, workers of the
  // pool still spinning after the previous step (of this run or the last) are
  // sent to sleep, so the two never fight over the cores.
  for (auto& st : steps_) {
    if (st->own_threads && !st->single_thread && pool_active_) quiesce_threadpool(threadpool_);
    if (!st->view_only && !st->single_thread) pool_active_ = !st->own_threads;
    EW_RETURN_IF_ERROR(run_step(*st, subgraphs, observer));
  }
  const auto& output_slots = exec_->output_slots();
  outputs.resize(output_slots.size());
  for (size_t i = 0; i < output_slots.size(); ++i) {
    const Tensor& t = slots_[output_slots[i]];
    if (!t.defined()) return internal_error("graph output '" + model_.graph.outputs[i].name + "' was not computed");
    outputs[i] = t;
  }
  return Status::ok();
}

Status ExecutionPlan::adopt_outputs(Step& st) {
  for (size_t i = 0; i < st.outputs.size(); ++i) {
    int s = st.outputs[i];
    if (s < 0) continue;
    Tensor& out = st.out[i];
    const Tensor& planned = st.planned[i];
    if (!out.defined())
      return internal_error("node " + st.node->label() + " did not produce output '" + st.node->outputs[i] + "'");
    if (!planned.defined()) {
      slots_[s] = out;
      continue;
    }
    if (out.raw() == planned.raw() && out.shape() == planned.shape()) continue;
    if (out.dtype() != planned.dtype() || out.shape() != planned.shape())
      return internal_error("node " + st.node->label() + " produced " + out.describe() + " but its shape inference said " +
                            planned.describe());
    if (out.nbytes()) std::memmove(const_cast<void*>(planned.raw()), out.raw(), out.nbytes());
    out = planned;
  }
  return Status::ok();
}

Status ExecutionPlan::run_step(Step& st, SubgraphRunner& subgraphs, StepObserver* observer) {
  if (st.dynamic) return run_dynamic_step(st, subgraphs, observer);
  auto start = std::chrono::steady_clock::now();
  if (!st.view_only) {
    for (size_t i = 0; i < st.in.size(); ++i)
      if (st.in[i] && !st.in[i]->defined())
        return invalid_argument("node " + st.node->label() + ": input '" + st.node->inputs[i] + "' has no value");
    if (st.zero_fill)
      for (Tensor& t : st.out)
        if (t.defined() && t.nbytes()) std::memset(t.raw(), 0, t.nbytes());
    KernelContext ctx(*st.node, st.opset, &st.in, &st.out, &subgraphs, st.single_thread ? nullptr : threadpool_);
    EW_RETURN_IF_ERROR(st.kernel ? st.kernel->run(ctx) : st.op->run(ctx));
    EW_RETURN_IF_ERROR(adopt_outputs(st));
  }
  if (observer) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const char* backend = st.view_only ? "view" : st.backend;
    observer->after_step(StepEvent{*st.node, st.nodes, backend, st.in, st.out, start, secs});
  }
  for (int s : st.release_after) slots_[s] = Tensor();
  return Status::ok();
}

Status ExecutionPlan::run_dynamic_step(Step& st, SubgraphRunner& subgraphs, StepObserver* observer) {
  const Node& node = *st.node;
  std::vector<ValueType> in_types(st.inputs.size());
  std::vector<const ValueType*> in_type_ptrs(st.inputs.size(), nullptr);
  for (size_t i = 0; i < st.inputs.size(); ++i) {
    if (!st.in[i]) continue;
    if (!st.in[i]->defined())
      return invalid_argument("node " + node.label() + ": input '" + node.inputs[i] + "' has no value");
    in_types[i] = ValueType::of(st.in[i]->dtype(), st.in[i]->shape());
    in_type_ptrs[i] = &in_types[i];
  }
  InferContext ictx(node, st.opset, in_type_ptrs, st.in);
  EW_RETURN_IF_ERROR(st.op->infer(ictx));
  for (size_t i = 0; i < st.out.size(); ++i) {
    st.out[i] = Tensor();
    const ValueType& vt = ictx.output_types()[i];
    if (st.outputs[i] < 0 || !known(vt)) continue;
    auto t = Tensor::create(vt.dtype, vt.concrete_shape());
    if (!t.is_ok()) return t.status().with_context("node " + node.label() + ": ");
    st.out[i] = std::move(t).value();
  }
  auto start = std::chrono::steady_clock::now();
  KernelContext ctx(node, st.opset, &st.in, &st.out, &subgraphs, threadpool_);
  EW_RETURN_IF_ERROR(st.op->run(ctx));
  EW_RETURN_IF_ERROR(adopt_outputs(st));
  if (observer) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    observer->after_step(StepEvent{node, st.nodes, "reference", st.in, st.out, start, secs});
  }
  for (int s : st.release_after) slots_[s] = Tensor();
  return Status::ok();
}

}  // namespace ew
