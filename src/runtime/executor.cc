#include "runtime/executor.h"

#include <onnx/defs/schema.h>

#include <chrono>

namespace ew {

namespace {

int64_t node_opset(const Model& model, const Node& node) {
  int64_t v = model.opset(node.domain);
  return v == 0 && !node.domain.empty() ? 1 : v;
}

// Checks input/output counts against the ONNX schema, so kernels never see a
// node with fewer inputs or outputs than the op defines. libonnx knows opsets
// up to 17; for newer opsets only the lower bounds are checked.
Status check_arity(const Node& node, int64_t opset) {
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(node.op_type, static_cast<int>(opset), node.domain);
  if (!schema) return Status::ok();
  bool upper = opset <= 17;
  int n_in = node.num_inputs(), n_out = static_cast<int>(node.outputs.size());
  if (n_in < schema->min_input() || (upper && n_in > schema->max_input()))
    return invalid_model("node " + node.label() + " has " + std::to_string(n_in) + " inputs; " + node.op_type +
                         " takes " + std::to_string(schema->min_input()) + " to " + std::to_string(schema->max_input()));
  const auto& formals = schema->inputs();
  for (int i = 0; i < n_in && i < static_cast<int>(formals.size()); ++i)
    if (node.inputs[i].empty() && formals[i].GetOption() == onnx::OpSchema::Single)
      return invalid_model("node " + node.label() + " leaves required input " + std::to_string(i) + " ('" +
                           formals[i].GetName() + "') empty");
  if (n_out < schema->min_output() || (upper && n_out > schema->max_output()))
    return invalid_model("node " + node.label() + " has " + std::to_string(n_out) + " outputs; " + node.op_type +
                         " produces " + std::to_string(schema->min_output()) + " to " + std::to_string(schema->max_output()));
  return Status::ok();
}

}  // namespace

Result<std::vector<Tensor>> ScopeSubgraphRunner::run(const Graph& body, const std::vector<Tensor>& inputs,
                                                     int64_t iteration) {
  const GraphExecutor* child = exec_.child(&body);
  if (!child) return internal_error("subgraph '" + body.name + "' was not compiled");
  const BodyFrame frame{exec_.owner(&body), &body, iteration, frame_};
  if (observer_) observer_->body_started(frame, inputs);
  return child->run(inputs, &scope_, observer_, &frame);
}

const Tensor* Scope::find(const std::string& name) const {
  for (const Scope* s = this; s; s = s->parent) {
    int slot = s->exec->slot_of(name);
    if (slot >= 0 && (*s->slots)[slot].defined()) return &(*s->slots)[slot];
  }
  return nullptr;
}

int GraphExecutor::slot_of(const std::string& name) const {
  auto it = slots_.find(name);
  return it == slots_.end() ? -1 : it->second;
}

const GraphExecutor* GraphExecutor::child(const Graph* body) const {
  auto it = children_.find(body);
  return it == children_.end() ? nullptr : it->second.get();
}

const Node* GraphExecutor::owner(const Graph* body) const {
  auto it = owners_.find(body);
  return it == owners_.end() ? nullptr : it->second;
}

int GraphExecutor::slot_for(const std::string& name) {
  auto [it, inserted] = slots_.emplace(name, static_cast<int>(slot_names_.size()));
  if (inserted) slot_names_.push_back(name);
  return it->second;
}

Result<std::unique_ptr<GraphExecutor>> GraphExecutor::compile(const Graph& graph, const Model& model,
                                                              const std::set<std::string>& outer_names) {
  std::unique_ptr<GraphExecutor> exec(new GraphExecutor(graph));
  std::set<std::string> unsupported_ops;
  EW_RETURN_IF_ERROR(exec->bind(model, outer_names, unsupported_ops));
  if (!unsupported_ops.empty()) {
    std::string list;
    for (const auto& op : unsupported_ops) list += (list.empty() ? "" : ", ") + op;
    return unsupported("the model uses " + std::to_string(unsupported_ops.size()) +
                       " unsupported operator(s): " + list);
  }
  return exec;
}

Status GraphExecutor::bind(const Model& model, const std::set<std::string>& outer_names,
                           std::set<std::string>& unsupported_ops) {
  for (const auto& v : graph_.inputs) input_slots_.push_back(slot_for(v.name));
  for (const auto& [name, t] : graph_.initializers) constants_.emplace_back(slot_for(name), &t);
  std::set<std::string> local;
  for (const auto& v : graph_.inputs) local.insert(v.name);
  for (const auto& [name, t] : graph_.initializers) local.insert(name);
  for (const auto& node : graph_.nodes) for (const auto& o : node.outputs) if (!o.empty()) local.insert(o);
  std::set<std::string> visible = outer_names;
  visible.insert(local.begin(), local.end());
  for (const auto& node : graph_.nodes) {
    bool any_output = false;
    for (const auto& o : node.outputs) any_output |= !o.empty();
    if (!any_output) return invalid_model("node " + node.label() + " has no outputs");
    Step step;
    step.node = &node;
    step.opset = node_opset(model, node);
    EW_RETURN_IF_ERROR(check_arity(node, step.opset));
    step.op = OpRegistry::find(node.domain, node.op_type, step.opset);
    if (!step.op) {
      unsupported_ops.insert((node.domain.empty() ? "" : node.domain + "::") + node.op_type + " (opset " +
                             std::to_string(step.opset) + ")");
    }
    for (const auto& in : node.inputs) step.inputs.push_back(in.empty() ? -1 : slot_for(in));
    for (const auto& out : node.outputs) step.outputs.push_back(out.empty() ? -1 : slot_for(out));
    for (const auto& [k, a] : node.attributes) {
      std::vector<const Graph*> bodies;
      if (a.g) bodies.push_back(a.g.get());
      for (const auto& g : a.graphs) bodies.push_back(g.get());
      for (const Graph* body : bodies) {
        std::unique_ptr<GraphExecutor> child(new GraphExecutor(*body));
        EW_RETURN_IF_ERROR(child->bind(model, visible, unsupported_ops));
        children_[body] = std::move(child);
        owners_[body] = &node;
      }
    }
    steps_.push_back(std::move(step));
  }
  for (const auto& v : graph_.outputs) output_slots_.push_back(slot_for(v.name));
  for (const auto& [name, slot] : slots_)
    if (!local.count(name)) outer_slots_.push_back(slot);
  plan_releases();
  return Status::ok();
}

void GraphExecutor::plan_releases() {
  std::vector<int> last_use(slot_names_.size(), -1);
  for (size_t i = 0; i < steps_.size(); ++i) {
    for (int s : steps_[i].inputs) if (s >= 0) last_use[s] = static_cast<int>(i);
    for (const auto& name : node_implicit_inputs(*steps_[i].node)) {
      int s = slot_of(name);
      if (s >= 0) last_use[s] = static_cast<int>(i);
    }
  }
  std::vector<bool> keep(slot_names_.size(), false);
  for (int s : output_slots_) keep[s] = true;
  for (const auto& [s, t] : constants_) keep[s] = true;
  for (int s : outer_slots_) keep[s] = true;
  for (size_t s = 0; s < last_use.size(); ++s)
    if (!keep[s] && last_use[s] >= 0) steps_[last_use[s]].release_after.push_back(static_cast<int>(s));
}

Result<std::vector<Tensor>> GraphExecutor::run(const std::vector<Tensor>& inputs, const Scope* outer,
                                               StepObserver* observer, const BodyFrame* frame) const {
  if (inputs.size() != input_slots_.size())
    return invalid_argument("graph '" + graph_.name + "' takes " + std::to_string(input_slots_.size()) +
                            " inputs, got " + std::to_string(inputs.size()));
  std::vector<Tensor> slots(slot_names_.size());
  for (const auto& [s, t] : constants_) slots[s] = *t;
  for (size_t i = 0; i < inputs.size(); ++i) slots[input_slots_[i]] = inputs[i];
  for (int s : outer_slots_) {
    const Tensor* t = outer ? outer->find(slot_names_[s]) : nullptr;
    if (t) slots[s] = *t;
  }
  Scope scope{this, &slots, outer};
  for (const Step& step : steps_) EW_RETURN_IF_ERROR(run_step(step, slots, scope, observer, frame));
  std::vector<Tensor> outputs;
  for (size_t i = 0; i < output_slots_.size(); ++i) {
    const Tensor& t = slots[output_slots_[i]];
    if (!t.defined()) return internal_error("graph output '" + graph_.outputs[i].name + "' was not computed");
    outputs.push_back(t);
  }
  return outputs;
}

Status GraphExecutor::run_step(const Step& step, std::vector<Tensor>& slots, const Scope& scope,
                               StepObserver* observer, const BodyFrame* frame) const {
  const Node& node = *step.node;
  std::vector<const Tensor*> in(step.inputs.size(), nullptr);
  std::vector<ValueType> in_types(step.inputs.size());
  std::vector<const ValueType*> in_type_ptrs(step.inputs.size(), nullptr);
  for (size_t i = 0; i < step.inputs.size(); ++i) {
    if (step.inputs[i] < 0) continue;
    const Tensor& t = slots[step.inputs[i]];
    if (!t.defined())
      return invalid_argument("node " + node.label() + ": input '" + node.inputs[i] + "' has no value");
    in[i] = &t;
    in_types[i] = ValueType::of(t.dtype(), t.shape());
    in_type_ptrs[i] = &in_types[i];
  }
  InferContext ictx(node, step.opset, in_type_ptrs, in);
  EW_RETURN_IF_ERROR(step.op->infer(ictx));
  std::vector<Tensor> out(step.outputs.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const ValueType& vt = ictx.output_types()[i];
    if (step.outputs[i] < 0 || !vt.fully_known() || vt.dtype == DType::kUndefined) continue;
    auto t = Tensor::create(vt.dtype, vt.concrete_shape());
    if (!t.is_ok()) return t.status().with_context("node " + node.label() + ": ");
    out[i] = std::move(t).value();
  }
  ScopeSubgraphRunner subgraphs(*this, scope, observer, frame);
  KernelContext kctx(node, step.opset, in, &out, &subgraphs);
  auto start = std::chrono::steady_clock::now();
  EW_RETURN_IF_ERROR(step.op->run(kctx));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t i = 0; i < out.size(); ++i) {
    if (step.outputs[i] < 0) continue;
    if (!out[i].defined()) return internal_error("node " + node.label() + " did not produce output '" + node.outputs[i] + "'");
    slots[step.outputs[i]] = std::move(out[i]);
  }
  if (observer) {
    std::vector<Tensor> produced;
    for (int s : step.outputs) produced.push_back(s >= 0 ? slots[s] : Tensor());
    std::vector<const Node*> nodes{&node};
    observer->after_step(StepEvent{node, nodes, "reference", in, produced, start, secs, frame});
  }
  for (int s : step.release_after) slots[s] = Tensor();
  return Status::ok();
}

}  // namespace ew
