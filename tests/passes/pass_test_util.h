// Helpers for pass tests: load a shared model, optimize it, count ops, and
// check that optimized outputs match both the unoptimized run and the model's
// test_data_set reference outputs.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "check/compare.h"
#include "check/test_data.h"
#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "runtime/session.h"
#include "ops/shape_inference.h"
#include "test_util.h"

namespace ew::test {

inline std::string shared_model_path(const std::string& name) { return shared_models_dir() + "/" + name + "/model.onnx"; }

inline Model load_shared(const std::string& name) {
  auto m = load_onnx(shared_model_path(name));
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return m.is_ok() ? std::move(m).value() : Model{};
}

inline int count_ops(const Model& m, const std::string& op) {
  auto h = op_histogram(m.graph);
  auto it = h.find(op);
  return it == h.end() ? 0 : it->second;
}

// Runs `model` (no further optimization) on test_data_set_0 and returns its outputs.
inline std::vector<Tensor> run_on_test_data(const Model& model, const std::string& name, int opt_level = 0) {
  SessionOptions opts;
  opts.opt_level = opt_level;
  auto s = Session::create(model, opts);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  if (!s.is_ok()) return {};
  auto data = read_test_data_set(shared_models_dir() + "/" + name + "/test_data_set_0");
  EXPECT_TRUE(data.is_ok()) << data.status().to_string();
  if (!data.is_ok()) return {};
  auto feeds = bind_inputs(**s, *data);
  EXPECT_TRUE(feeds.is_ok()) << feeds.status().to_string();
  if (!feeds.is_ok()) return {};
  auto outs = (*s)->run(*feeds);
  EXPECT_TRUE(outs.is_ok()) << outs.status().to_string();
  return outs.is_ok() ? std::move(outs).value() : std::vector<Tensor>{};
}

// Checks `optimized` (a rewrite of shared model `name`) against the model run
// unoptimized and against the reference outputs of test_data_set_0.
inline void expect_same_outputs(const std::string& name, const Model& optimized, bool check_reference = true,
                                bool check_unoptimized = true) {
  Model original = load_shared(name);
  auto data = read_test_data_set(shared_models_dir() + "/" + name + "/test_data_set_0");
  ASSERT_TRUE(data.is_ok());
  std::vector<Tensor> got = run_on_test_data(optimized, name);
  std::vector<Tensor> base = run_on_test_data(original, name);
  ASSERT_EQ(got.size(), data->outputs.size());
  ASSERT_EQ(base.size(), got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    Tolerance tol = reference_tolerance(original, original.graph.outputs[i].name, data->outputs[i].tensor);
    if (check_reference) {
      Comparison c = compare_tensors(got[i], data->outputs[i].tensor, tol);
      EXPECT_TRUE(c.match) << name << " output " << i << " vs reference: " << c.message;
    }
    if (!check_unoptimized) continue;
    Comparison o = compare_tensors(got[i], base[i], tol);
    EXPECT_TRUE(o.match) << name << " output " << i << " vs unoptimized: " << o.message;
  }
}

// The shared model optimized at `level`, with symbolic dims bound when `dims` is given.
inline Model optimized_shared(const std::string& name, int level, OptimizeReport* report = nullptr,
                              const std::map<std::string, int64_t>& dims = {}) {
  Model m = load_shared(name);
  if (!dims.empty()) bind_symbolic_dims(m, dims, -1);
  Status s = optimize_model(m, level, report);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return m;
}

inline int rewrites_of(const OptimizeReport& r, const std::string& pass) {
  for (const auto& p : r.passes) if (p.pass == pass) return p.rewrites;
  return 0;
}

}  // namespace ew::test
