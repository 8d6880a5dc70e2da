// Test helpers for the quant group: load-time inference of one node, attribute
// shorthands, running a node and reading integer outputs.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ops/op.h"
#include "test_util.h"

namespace ew::qtest {

inline constexpr const char* kMs = "com.microsoft";

// Runs the op's infer() as at load time on the given input types (no values).
// An input type with dtype kUndefined and no shape is an absent input.
inline Result<std::vector<ValueType>> infer_types(const std::string& op_type, int64_t opset,
                                                  const std::vector<ValueType>& types,
                                                  const std::map<std::string, Attribute>& attributes = {},
                                                  const std::string& domain = "", int num_outputs = 1) {
  const OpDef* def = OpRegistry::find(domain, op_type, opset);
  if (!def) return not_found(op_type + " is not registered at this opset");
  Node n;
  n.name = "node_under_test";
  n.op_type = op_type;
  n.domain = domain;
  n.attributes = attributes;
  std::vector<const ValueType*> ptrs;
  for (size_t i = 0; i < types.size(); ++i) {
    const bool absent = types[i].dtype == DType::kUndefined && !types[i].has_shape;
    n.inputs.push_back(absent ? "" : "in" + std::to_string(i));
    ptrs.push_back(absent ? nullptr : &types[i]);
  }
  for (int i = 0; i < num_outputs; ++i) n.outputs.push_back("out" + std::to_string(i));
  InferContext ctx(n, opset, ptrs, std::vector<const Tensor*>(types.size(), nullptr));
  EW_RETURN_IF_ERROR(def->infer(ctx));
  return ctx.output_types();
}

inline ValueType vtype(DType t, const std::vector<Dim>& dims) { return ValueType{t, true, dims}; }
inline Attribute ai(int64_t v) { return Attribute::make_int(v); }
inline Attribute af(float v) { return Attribute::make_float(v); }
inline Attribute as(std::string v) { return Attribute::make_string(std::move(v)); }
inline Attribute aints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }

inline Tensor u8(const Shape& s, const std::vector<uint8_t>& v) { return test::make<uint8_t>(s, v); }
inline Tensor i8(const Shape& s, const std::vector<int8_t>& v) { return test::make<int8_t>(s, v); }
inline Tensor i32(const Shape& s, const std::vector<int32_t>& v) { return test::make<int32_t>(s, v); }
inline Tensor f32(const Shape& s, const std::vector<float>& v) { return test::make_f32(s, v); }
inline Tensor scalar_f(float v) { return test::make_f32({}, {v}); }
inline Tensor scalar_u8(uint8_t v) { return test::make<uint8_t>({}, {v}); }
inline Tensor scalar_i8(int8_t v) { return test::make<int8_t>({}, {v}); }

// Runs a node and returns output 0, failing the test on error.
inline Tensor run1(const std::string& op, const std::vector<Tensor>& inputs,
                   const std::map<std::string, Attribute>& attributes = {}, int64_t opset = 17,
                   const std::string& domain = "") {
  auto out = test::run_node(op, inputs, attributes, 1, opset, domain);
  EXPECT_TRUE(out.is_ok()) << op << ": " << out.status().to_string();
  return out.is_ok() ? (*out)[0] : Tensor();
}

// Runs a node expecting failure; returns the error message.
inline std::string run_error(const std::string& op, const std::vector<Tensor>& inputs,
                             const std::map<std::string, Attribute>& attributes = {}, int64_t opset = 17,
                             const std::string& domain = "") {
  auto out = test::run_node(op, inputs, attributes, 1, opset, domain);
  EXPECT_FALSE(out.is_ok()) << op << " unexpectedly succeeded";
  return out.is_ok() ? "" : out.status().message();
}

inline std::vector<int64_t> ints(const Tensor& t) { return test::values_i64(t); }

}  // namespace ew::qtest
