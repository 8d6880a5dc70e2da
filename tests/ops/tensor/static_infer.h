// Test helper for the tensor ops: static (load-time) inference of a small
// graph whose inputs may have symbolic dims and whose constants are initializers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ops/shape_inference.h"

namespace ew::test {

struct StaticGraph {
  Model model;
  explicit StaticGraph(int64_t opset = 17) { model.opsets.push_back({"", opset}); }
  StaticGraph& input(const std::string& name, DType t, std::vector<Dim> dims) {
    model.graph.inputs.push_back({name, ValueType{t, true, std::move(dims)}});
    return *this;
  }
  StaticGraph& constant(const std::string& name, Tensor t) {
    model.graph.initializers[name] = std::move(t);
    return *this;
  }
  StaticGraph& node(const std::string& op, std::vector<std::string> ins, std::vector<std::string> outs,
                    std::map<std::string, Attribute> attrs = {}) {
    Node n;
    n.name = outs.empty() ? op : outs[0];
    n.op_type = op;
    n.inputs = std::move(ins);
    n.outputs = std::move(outs);
    n.attributes = std::move(attrs);
    model.graph.nodes.push_back(std::move(n));
    return *this;
  }
  // Runs inference; returns the type of `value` (an intermediate) as a string such as "float32[N,6]".
  std::string type_of(const std::string& value) {
    Status s = infer_shapes(model);
    if (!s.is_ok()) return "error: " + s.message();
    const ValueType* t = model.graph.find_type(value);
    return t ? t->to_string() : "unknown";
  }
};

}  // namespace ew::test
