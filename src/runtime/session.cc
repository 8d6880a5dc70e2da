#include "runtime/session.h"

#include "ir/onnx_import.h"
#include "runtime/shape_inference.h"

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
  if (s->model_.opset("") == 0 && !s->model_.graph.nodes.empty())
    s->model_.opsets.push_back({"", 1});
  EW_ASSIGN_OR_RETURN(s->exec_, GraphExecutor::compile(s->model_.graph, s->model_));
  if (options.infer_shapes) EW_RETURN_IF_ERROR(infer_shapes(s->model_));
  return s;
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
  std::vector<Tensor> ordered;
  for (const auto& v : model_.graph.inputs) ordered.push_back(inputs.at(v.name));
  return exec_->run(ordered, nullptr, observer);
}

}  // namespace ew
