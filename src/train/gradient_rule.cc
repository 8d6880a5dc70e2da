#include "train/gradient_rule.h"

#include <mutex>

namespace ew::train {
namespace {

std::map<std::string, GradientRuleDef>& rules() {
  static std::map<std::string, GradientRuleDef> r;
  return r;
}

std::string key(const std::string& domain, const std::string& op_type) {
  return domain.empty() || domain == "ai.onnx" ? op_type : domain + "::" + op_type;
}

}  // namespace

bool GradientRules::add(GradientRuleDef def) {
  rules()[key(def.domain, def.op_type)] = std::move(def);
  return true;
}

const GradientRuleDef* GradientRules::find(const std::string& domain, const std::string& op_type) {
  auto it = rules().find(key(domain, op_type));
  return it == rules().end() ? nullptr : &it->second;
}

std::vector<std::string> GradientRules::names() {
  std::vector<std::string> out;
  for (const auto& [k, def] : rules()) out.push_back(k);
  return out;
}

std::string GradientGraph::sum_to(const std::string& grad, const std::string& like) {
  const ValueType* g = type(grad);
  const ValueType* l = type(like);
  auto named = [](const ValueType* t) {  // every dim known or a named symbol
    if (!t || !t->has_shape) return false;
    for (const Dim& d : t->dims)
      if (!d.known() && d.symbol.empty()) return false;
    return true;
  };
  if (named(g) && named(l) && g->dims == l->dims) return grad;  // nothing was broadcast
  return grad_op("ReduceSumTo", {grad, like});
}

std::string GradientGraph::scalar(const std::string& hint, float v) {
  return constant(hint, Tensor::scalar<float>(v).value());
}

int64_t GradientContext::rank(const std::string& value) const {
  const ValueType* t = g.type(value);
  return t && t->has_shape ? static_cast<int64_t>(t->dims.size()) : -1;
}

Status GradientContext::error(const std::string& message) const {
  return invalid_argument("gradient of " + node.label() + ": " + message);
}

}  // namespace ew::train
