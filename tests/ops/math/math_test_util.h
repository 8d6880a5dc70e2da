// Test helpers for the math and logic groups: load-time inference of one node,
// attribute shorthands and float comparison.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ops/op.h"
#include "test_util.h"

namespace ew::mtest {

// Runs the op's infer() as at load time on the given input types (no values).
inline Result<std::vector<ValueType>> infer_types(const std::string& op_type, int64_t opset,
                                                  const std::vector<ValueType>& types,
                                                  const std::map<std::string, Attribute>& attributes = {}) {
  const OpDef* def = OpRegistry::find("", op_type, opset);
  if (!def) return not_found(op_type + " is not registered at this opset");
  Node n;
  n.name = "node_under_test";
  n.op_type = op_type;
  n.attributes = attributes;
  std::vector<const ValueType*> ptrs;
  for (size_t i = 0; i < types.size(); ++i) {
    n.inputs.push_back("in" + std::to_string(i));
    ptrs.push_back(&types[i]);
  }
  n.outputs.push_back("out0");
  InferContext ctx(n, opset, ptrs, std::vector<const Tensor*>(types.size(), nullptr));
  EW_RETURN_IF_ERROR(def->infer(ctx));
  return ctx.output_types();
}

inline Attribute attr_i(int64_t v) { return Attribute::make_int(v); }
inline Attribute attr_f(float v) { return Attribute::make_float(v); }
inline Attribute attr_s(std::string v) { return Attribute::make_string(std::move(v)); }

// Runs a one-output node and returns output 0, failing the test on error.
inline Tensor run1(const std::string& op, const std::vector<Tensor>& inputs,
                   const std::map<std::string, Attribute>& attributes = {}, int64_t opset = 17) {
  auto out = test::run_node(op, inputs, attributes, 1, opset);
  EXPECT_TRUE(out.is_ok()) << op << ": " << out.status().to_string();
  return out.is_ok() ? (*out)[0] : Tensor{};
}

template <typename T>
std::vector<T> values(const Tensor& t) {
  const T* p = t.data<T>();
  return p ? std::vector<T>(p, p + t.numel()) : std::vector<T>{};
}

inline void expect_near(const std::vector<float>& actual, const std::vector<float>& expected, float tol = 1e-5f) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) EXPECT_TRUE(std::isnan(actual[i])) << "at " << i;
    else if (std::isinf(expected[i])) EXPECT_EQ(actual[i], expected[i]) << "at " << i;
    else EXPECT_NEAR(actual[i], expected[i], tol * (1 + std::fabs(expected[i]))) << "at " << i;
  }
}

// Expects `op` to fail with a message containing `needle`.
inline void expect_error(const Result<std::vector<Tensor>>& r, const std::string& needle) {
  ASSERT_FALSE(r.is_ok()) << "expected an error mentioning '" << needle << "'";
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

}  // namespace ew::mtest
