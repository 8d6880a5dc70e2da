// Test helpers for the reduce group: static (load-time) inference of one node.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew::test {

// Runs the op's infer() as at load time: `types[i]` with an undefined dtype and
// no shape is an absent input; `values[i]` (may be shorter) are known constants.
inline Result<std::vector<ValueType>> infer_node(const std::string& op_type, int64_t opset,
                                                 const std::vector<ValueType>& types,
                                                 const std::vector<const Tensor*>& values = {},
                                                 const std::map<std::string, Attribute>& attributes = {},
                                                 int num_outputs = 1) {
  const OpDef* def = OpRegistry::find("", op_type, opset);
  if (!def) return not_found(op_type + " is not registered");
  Node n;
  n.name = "node_under_test";
  n.op_type = op_type;
  n.attributes = attributes;
  std::vector<const ValueType*> ptrs;
  for (size_t i = 0; i < types.size(); ++i) {
    const bool absent = types[i].dtype == DType::kUndefined && !types[i].has_shape;
    n.inputs.push_back(absent ? "" : "in" + std::to_string(i));
    ptrs.push_back(absent ? nullptr : &types[i]);
  }
  for (int i = 0; i < num_outputs; ++i) n.outputs.push_back("out" + std::to_string(i));
  std::vector<const Tensor*> vals = values;
  vals.resize(types.size(), nullptr);
  InferContext ctx(n, opset, ptrs, vals);
  EW_RETURN_IF_ERROR(def->infer(ctx));
  return ctx.output_types();
}

inline Attribute attr_ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }
inline Attribute attr_i(int64_t v) { return Attribute::make_int(v); }

}  // namespace ew::test
