// Gradient rules: how the gradient builder differentiates one op family.
//
// A rule sees one forward node, the gradients flowing into its outputs, and
// which of its inputs need a gradient; it writes backward nodes into the
// training graph (ONNX ops where they are the natural form, so the fast
// kernels and backends serve them; ops of the gradient domain, src/ops/grad/,
// where ONNX has none) and returns one gradient name per forward input ("" for
// none). Rules live one family per file under src/train/rules/ and register
// themselves like ops:
//
//   EW_REGISTER_GRADIENT(.op_type = "Relu", .fn = relu_gradient);
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ops/grad/grad_domain.h"

namespace ew::train {

// The training graph under construction, as a rule sees it.
class GradientGraph {
 public:
  virtual ~GradientGraph() = default;
  // Adds a node; returns the (unique) names of its `num_outputs` outputs.
  virtual std::vector<std::string> add(const std::string& op_type, const std::vector<std::string>& inputs,
                                       int num_outputs, const std::map<std::string, Attribute>& attributes = {},
                                       const std::string& domain = "") = 0;
  // A constant (initializer) of the training graph; returns its name.
  virtual std::string constant(const std::string& hint, Tensor value) = 0;
  // The static type of a forward value (dims may be symbolic), or nullptr.
  virtual const ValueType* type(const std::string& value) const = 0;
  // The value of a constant forward input (a non-trainable initializer), or nullptr.
  virtual const Tensor* constant_value(const std::string& value) const = 0;

  std::string add1(const std::string& op_type, const std::vector<std::string>& inputs,
                   const std::map<std::string, Attribute>& attributes = {}, const std::string& domain = "") {
    return add(op_type, inputs, 1, attributes, domain)[0];
  }
  // Backward nodes of the gradient domain.
  std::string grad_op(const std::string& op_type, const std::vector<std::string>& inputs,
                      const std::map<std::string, Attribute>& attributes = {}) {
    return add1(op_type, inputs, attributes, kGradDomain);
  }
  // `grad` summed over the dims along which `like` was broadcast, to like's shape.
  std::string sum_to(const std::string& grad, const std::string& like);
  // A float32 scalar constant.
  std::string scalar(const std::string& hint, float v);
};

struct GradientContext {
  const Node& node;
  int64_t opset;
  std::vector<std::string> output_grads;  // per forward output; "" where no gradient flows
  std::vector<bool> wants;                // per forward input: its gradient is needed
  GradientGraph& g;

  const std::string& in(int i) const { return node.inputs[static_cast<size_t>(i)]; }
  const std::string& out(int i) const { return node.outputs[static_cast<size_t>(i)]; }
  const std::string& dy(int i = 0) const { return output_grads[static_cast<size_t>(i)]; }
  bool want(int i) const { return i < static_cast<int>(wants.size()) && wants[static_cast<size_t>(i)]; }
  // Static rank of a forward value, or -1 when unknown.
  int64_t rank(const std::string& value) const;
  Status error(const std::string& message) const;
};

// One gradient name per forward input ("" for none).
using GradientFn = Result<std::vector<std::string>> (*)(GradientContext&);

struct GradientRuleDef {
  std::string op_type;
  std::string domain;  // "" for ONNX
  GradientFn fn = nullptr;
};

class GradientRules {
 public:
  static bool add(GradientRuleDef def);
  static const GradientRuleDef* find(const std::string& domain, const std::string& op_type);
  static std::vector<std::string> names();  // "Relu", "ai.edgewise.grad::BatchNormTraining", ...
};

}  // namespace ew::train

#define EW_REGISTER_GRADIENT(...)                                          \
  static const bool EW_CONCAT(ew_registered_gradient_, __LINE__) = \
      ::ew::train::GradientRules::add(::ew::train::GradientRuleDef{__VA_ARGS__})
