#include "ops/op.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace ew {

namespace {
const ValueType kUndefinedType{};

std::map<std::pair<std::string, std::string>, std::vector<OpDef>>& registry() {
  static std::map<std::pair<std::string, std::string>, std::vector<OpDef>> r;
  return r;
}
}  // namespace

InferContext::InferContext(const Node& node, int64_t opset, std::vector<const ValueType*> input_types,
                           std::vector<const Tensor*> input_values)
    : node_(node),
      opset_(opset),
      input_types_(std::move(input_types)),
      input_values_(std::move(input_values)),
      outputs_(node.outputs.size()),
      output_values_(node.outputs.size()) {}

const ValueType& InferContext::input_type(int i) const {
  return has_input(i) ? *input_types_[i] : kUndefinedType;
}

const Tensor* InferContext::input_value(int i) const {
  return i < static_cast<int>(input_values_.size()) ? input_values_[i] : nullptr;
}

void InferContext::set_output(int i, ValueType t) {
  if (i >= 0 && i < num_outputs()) outputs_[i] = std::move(t);
}

void InferContext::set_output_value(int i, Tensor value) {
  if (i >= 0 && i < num_outputs()) output_values_[i] = std::move(value);
}

Status InferContext::error(const std::string& message) const {
  return invalid_argument("node " + node_.label() + ": " + message);
}

KernelContext::KernelContext(const Node& node, int64_t opset, std::vector<const Tensor*> inputs,
                             std::vector<Tensor>* outputs, SubgraphRunner* subgraphs, pthreadpool_t threadpool)
    : node_(node),
      opset_(opset),
      owned_inputs_(std::move(inputs)),
      inputs_(&owned_inputs_),
      outputs_(outputs),
      subgraphs_(subgraphs),
      threadpool_(threadpool) {}

KernelContext::KernelContext(const Node& node, int64_t opset, const std::vector<const Tensor*>* inputs,
                             std::vector<Tensor>* outputs, SubgraphRunner* subgraphs, pthreadpool_t threadpool)
    : node_(node), opset_(opset), inputs_(inputs), outputs_(outputs), subgraphs_(subgraphs), threadpool_(threadpool) {}

Result<Tensor*> KernelContext::allocate_output(int i, DType dtype, Shape shape) {
  if (i < 0 || i >= num_outputs()) return internal_error("node " + node_.label() + ": output index out of range");
  auto t = Tensor::create(dtype, std::move(shape));
  if (!t.is_ok()) return t.status().with_context("node " + node_.label() + ": ");
  (*outputs_)[i] = std::move(t).value();
  return &(*outputs_)[i];
}

Status KernelContext::error(const std::string& message) const {
  return invalid_argument("node " + node_.label() + ": " + message);
}

bool OpRegistry::add(OpDef def) {
  auto& defs = registry()[{def.domain, def.op_type}];
  defs.push_back(std::move(def));
  std::sort(defs.begin(), defs.end(), [](const OpDef& a, const OpDef& b) { return a.since_version > b.since_version; });
  return true;
}

const OpDef* OpRegistry::find(const std::string& domain, const std::string& op_type, int64_t opset) {
  std::string d = domain == "ai.onnx" ? "" : domain;
  auto it = registry().find({d, op_type});
  if (it == registry().end()) return nullptr;
  for (const OpDef& def : it->second)
    if (def.since_version <= opset) return &def;
  return nullptr;
}

namespace {
std::map<std::pair<std::string, std::string>, std::vector<FastKernelDef>>& fast_registry() {
  static std::map<std::pair<std::string, std::string>, std::vector<FastKernelDef>> r;
  return r;
}
}  // namespace

bool FastKernels::add(FastKernelDef def) {
  fast_registry()[{def.domain, def.op_type}].push_back(std::move(def));
  return true;
}

std::vector<const FastKernelDef*> FastKernels::find(const std::string& domain, const std::string& op_type,
                                                    int64_t opset) {
  std::vector<const FastKernelDef*> out;
  auto it = fast_registry().find({domain == "ai.onnx" ? "" : domain, op_type});
  if (it == fast_registry().end()) return out;
  for (const auto& def : it->second)
    if (def.since_version <= opset) out.push_back(&def);
  std::stable_sort(out.begin(), out.end(),
                   [](const FastKernelDef* a, const FastKernelDef* b) { return a->priority > b->priority; });
  return out;
}

std::vector<const OpDef*> OpRegistry::all() {
  std::vector<const OpDef*> out;
  for (const auto& [k, defs] : registry())
    for (const auto& d : defs) out.push_back(&d);
  return out;
}

}  // namespace ew
