// Helpers for opset-converter tests: run a model with Edgewise's reference
// kernels, convert a copy, and check the converted model computes the same.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "check/compare.h"
#include "ir/graph_builder.h"
#include "passes/opset/opset_converter.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew::test {

// Runs `model` with reference kernels only, no optimizer, no backends.
inline Result<std::vector<Tensor>> run_reference(const Model& model, const std::map<std::string, Tensor>& feeds) {
  SessionOptions o;
  o.opt_level = 0;
  o.use_backends = false;
  o.fast_kernels = false;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(model, o));
  return session->run(feeds);
}

inline Model built(GraphBuilder& b) {
  auto m = b.build();
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return m.is_ok() ? std::move(m).value() : Model{};
}

// Converts a copy of `model` to `target` (expecting success) and returns it.
inline Model converted(const Model& model, int64_t target, OpsetReport* report = nullptr) {
  Model m = model;
  Status s = convert_opset(m, target, report);
  EXPECT_TRUE(s.is_ok()) << "to opset " << target << ": " << s.to_string();
  return m;
}

// Expects the two models to give the same outputs on `feeds` (within `tol`;
// the default demands equality up to float rounding).
inline void expect_same_outputs(const Model& a, const Model& b, const std::map<std::string, Tensor>& feeds,
                                Tolerance tol = {1e-6, 1e-7, 0}) {
  auto ra = run_reference(a, feeds);
  auto rb = run_reference(b, feeds);
  ASSERT_TRUE(ra.is_ok()) << ra.status().to_string();
  ASSERT_TRUE(rb.is_ok()) << rb.status().to_string();
  ASSERT_EQ(ra->size(), rb->size());
  for (size_t i = 0; i < ra->size(); ++i) {
    Comparison c = compare_tensors((*rb)[i], (*ra)[i], tol);
    EXPECT_TRUE(c.match) << "output " << i << ": " << c.message;
  }
}

// Converts `model` to each of `targets` in turn (each from the previous
// result) and checks every result against the original.
inline void expect_conversions_keep_outputs(const Model& model, const std::vector<int64_t>& targets,
                                            const std::map<std::string, Tensor>& feeds, Tolerance tol = {1e-6, 1e-7, 0}) {
  Model current = model;
  for (int64_t t : targets) {
    SCOPED_TRACE("opset " + std::to_string(current.opset("")) + " -> " + std::to_string(t));
    current = converted(current, t);
    ASSERT_EQ(current.opset(""), t);
    expect_same_outputs(model, current, feeds, tol);
  }
}

// Expects conversion to fail with a message containing every string of `parts`.
inline void expect_conversion_fails(const Model& model, int64_t target, const std::vector<std::string>& parts) {
  Model m = model;
  Status s = convert_opset(m, target);
  ASSERT_FALSE(s.is_ok()) << "converting to opset " << target << " should fail";
  for (const auto& p : parts) EXPECT_NE(s.message().find(p), std::string::npos) << s.message();
}

inline int count_op(const Model& m, const std::string& op) {
  int n = 0;
  for (const auto& node : m.graph.nodes) n += node.op_type == op;
  return n;
}

// 0, 1, 2, ... scaled by `step`, offset by `start`: distinct values for checks.
inline Tensor ramp(const Shape& shape, float start = -3.0f, float step = 0.37f) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = start + step * static_cast<float>(i % 23) + 0.01f * static_cast<float>(i);
  return make_f32(shape, v);
}

inline std::vector<Dim> dims(const Shape& s) { return {s.begin(), s.end()}; }

}  // namespace ew::test
