// Test helpers for the activation, norm and loss groups: load-time inference of
// one node, attribute shorthands, float comparison.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ops/op.h"
#include "test_util.h"

namespace ew::atest {

// Runs the op's infer() as at load time on the given input types (no values).
// An input type with dtype kUndefined and no shape is an absent input.
inline Result<std::vector<ValueType>> infer_types(const std::string& op_type, int64_t opset,
                                                  const std::vector<ValueType>& types,
                                                  const std::map<std::string, Attribute>& attributes = {},
                                                  int num_outputs = 1) {
  const OpDef* def = OpRegistry::find("", op_type, opset);
  if (!def) return not_found(op_type + " is not registered at this opset");
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
  InferContext ctx(n, opset, ptrs, std::vector<const Tensor*>(types.size(), nullptr));
  EW_RETURN_IF_ERROR(def->infer(ctx));
  return ctx.output_types();
}

inline ValueType sym_type(DType t, const std::vector<Dim>& dims) { return ValueType{t, true, dims}; }

inline Attribute attr_i(int64_t v) { return Attribute::make_int(v); }
inline Attribute attr_f(float v) { return Attribute::make_float(v); }
inline Attribute attr_s(std::string v) { return Attribute::make_string(std::move(v)); }
inline Attribute attr_ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }

// Runs a node and returns its outputs, failing the test on error.
inline std::vector<Tensor> run_ok(const std::string& op, const std::vector<Tensor>& inputs,
                                  const std::map<std::string, Attribute>& attributes = {}, int num_outputs = 1,
                                  int64_t opset = 17) {
  auto out = test::run_node(op, inputs, attributes, num_outputs, opset);
  EXPECT_TRUE(out.is_ok()) << op << ": " << out.status().to_string();
  return out.is_ok() ? *out : std::vector<Tensor>(static_cast<size_t>(num_outputs));
}

inline void expect_near(const std::vector<float>& actual, const std::vector<float>& expected, float tol = 1e-5f) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) EXPECT_TRUE(std::isnan(actual[i])) << "at " << i;
    else EXPECT_NEAR(actual[i], expected[i], tol * (1 + std::fabs(expected[i]))) << "at " << i;
  }
}

// Expects a failure whose message contains `needle`.
template <typename R>
void expect_error(const R& r, const std::string& needle) {
  ASSERT_FALSE(r.is_ok()) << "expected an error mentioning '" << needle << "'";
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

}  // namespace ew::atest
