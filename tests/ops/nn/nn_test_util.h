// Test helpers for the nn ops: static (load-time) inference of one node with
// symbolic dims, and attribute shorthands.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew::test {

inline Attribute ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }
inline Attribute i(int64_t v) { return Attribute::make_int(v); }
inline Attribute f(float v) { return Attribute::make_float(v); }
inline Attribute s(std::string v) { return Attribute::make_string(std::move(v)); }

inline ValueType vt(DType t, std::vector<Dim> dims) { return ValueType{t, true, std::move(dims)}; }

// Runs the op's infer() on the given input types (values: constants or nullptr);
// returns output `out`'s type as a string ("float32[N,8,?,?]") or "error: ...".
inline std::string infer_type(const std::string& op, const std::vector<ValueType>& ins,
                              const std::map<std::string, Attribute>& attrs = {}, int64_t opset = 17,
                              std::vector<const Tensor*> values = {}, int out = 0, int num_outputs = 1) {
  Node n;
  n.name = "t";
  n.op_type = op;
  n.attributes = attrs;
  for (size_t k = 0; k < ins.size(); ++k) n.inputs.push_back(ins[k].dtype == DType::kUndefined ? "" : "in" + std::to_string(k));
  for (int k = 0; k < num_outputs; ++k) n.outputs.push_back("out" + std::to_string(k));
  const OpDef* def = OpRegistry::find("", op, opset);
  if (!def) return "error: no op";
  std::vector<const ValueType*> ptrs;
  for (const ValueType& v : ins) ptrs.push_back(v.dtype == DType::kUndefined ? nullptr : &v);
  values.resize(ins.size(), nullptr);
  InferContext ctx(n, opset, ptrs, values);
  Status st = def->infer(ctx);
  if (!st.is_ok()) return "error: " + st.message();
  return ctx.output_types()[out].to_string();
}

inline std::vector<float> iota_f32(int64_t n, float start = 0) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) v[k] = start + static_cast<float>(k);
  return v;
}

}  // namespace ew::test
