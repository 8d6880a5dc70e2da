// Helpers for fast-kernel tests: run one node through the reference kernel
// (OpRegistry, the oracle) and through a prepared fast kernel on the same
// inputs, then compare.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ops/op.h"

namespace ew::test {

struct NodeCase {
  std::string op_type;
  std::vector<Tensor> inputs;  // undefined tensors are absent optional inputs
  std::map<std::string, Attribute> attributes;
  int num_outputs = 1;
  int64_t opset = 17;
  std::string domain;
  std::vector<bool> constant;  // inputs passed to prepare as constants (initializers)

  Node node() const {
    Node n;
    n.name = "n";
    n.op_type = op_type;
    n.domain = domain;
    n.attributes = attributes;
    for (size_t i = 0; i < inputs.size(); ++i) n.inputs.push_back(inputs[i].defined() ? "i" + std::to_string(i) : "");
    for (int i = 0; i < num_outputs; ++i) n.outputs.push_back("o" + std::to_string(i));
    return n;
  }
  std::vector<const Tensor*> input_ptrs() const {
    std::vector<const Tensor*> p;
    for (const Tensor& t : inputs) p.push_back(t.defined() ? &t : nullptr);
    return p;
  }
  std::vector<ValueType> input_types() const {
    std::vector<ValueType> types;
    for (const Tensor& t : inputs) types.push_back(t.defined() ? ValueType::of(t.dtype(), t.shape()) : ValueType{});
    return types;
  }
};

// Output types from the reference op's infer, with every input value known.
inline Result<std::vector<ValueType>> infer_outputs(const NodeCase& c, const Node& node) {
  const OpDef* def = OpRegistry::find(c.domain, c.op_type, c.opset);
  if (!def) return invalid_argument("no reference op " + c.op_type);
  std::vector<ValueType> types = c.input_types();
  std::vector<const ValueType*> tp;
  for (size_t i = 0; i < types.size(); ++i) tp.push_back(c.inputs[i].defined() ? &types[i] : nullptr);
  InferContext ic(node, c.opset, tp, c.input_ptrs());
  EW_RETURN_IF_ERROR(def->infer(ic));
  return ic.output_types();
}

inline Result<std::vector<Tensor>> allocate_outputs(const std::vector<ValueType>& types) {
  std::vector<Tensor> out(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    if (!types[i].fully_known()) return invalid_argument("output shape not known");
    EW_ASSIGN_OR_RETURN(out[i], Tensor::create(types[i].dtype, types[i].concrete_shape()));
  }
  return out;
}

inline Result<std::vector<Tensor>> run_reference(const NodeCase& c) {
  Node node = c.node();
  EW_ASSIGN_OR_RETURN(auto types, infer_outputs(c, node));
  EW_ASSIGN_OR_RETURN(auto out, allocate_outputs(types));
  KernelContext kc(node, c.opset, c.input_ptrs(), &out, nullptr, nullptr);
  EW_RETURN_IF_ERROR(OpRegistry::find(c.domain, c.op_type, c.opset)->run(kc));
  return out;
}

inline const FastKernelDef* fast_kernel(const NodeCase& c, const std::string& name) {
  for (const FastKernelDef* d : FastKernels::find(c.domain, c.op_type, c.opset))
    if (d->name == name) return d;
  return nullptr;
}

// Prepares the fast kernel `name` for the case (nullptr result: not handled).
inline Result<std::unique_ptr<PreparedKernel>> prepare_fast(const NodeCase& c, const Node& node,
                                                            const std::string& name, pthreadpool_t pool) {
  const FastKernelDef* def = fast_kernel(c, name);
  if (!def) return invalid_argument("no fast kernel " + name + " for " + c.op_type);
  EW_ASSIGN_OR_RETURN(auto types, infer_outputs(c, node));
  std::vector<const Tensor*> values;
  for (size_t i = 0; i < c.inputs.size(); ++i)
    values.push_back(i < c.constant.size() && c.constant[i] ? &c.inputs[i] : nullptr);
  PrepareContext pc{node, c.opset, c.input_types(), values, types, pool};
  return def->prepare(pc);
}

// Runs the fast kernel; `applied` tells whether prepare took the case.
inline Result<std::vector<Tensor>> run_fast(const NodeCase& c, const std::string& name, pthreadpool_t pool,
                                            bool* applied) {
  Node node = c.node();
  EW_ASSIGN_OR_RETURN(auto kernel, prepare_fast(c, node, name, pool));
  *applied = kernel != nullptr;
  if (!kernel) return std::vector<Tensor>{};
  EW_ASSIGN_OR_RETURN(auto types, infer_outputs(c, node));
  EW_ASSIGN_OR_RETURN(auto out, allocate_outputs(types));
  KernelContext kc(node, c.opset, c.input_ptrs(), &out, nullptr, pool);
  EW_RETURN_IF_ERROR(kernel->run(kc));
  // Run twice: a prepared kernel must be reusable.
  EW_RETURN_IF_ERROR(kernel->run(kc));
  return out;
}

inline Tensor random_f32(const Shape& shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  auto t = Tensor::create(DType::kFloat32, shape);
  if (!t.is_ok()) std::abort();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  float* p = t->data<float>();
  for (int64_t i = 0; i < t->numel(); ++i) p[i] = dist(rng);
  return std::move(t).value();
}

// Integers uniform in [lo, hi] of the tensor's type T (int8, uint8, int32).
template <typename T>
Tensor random_int(const Shape& shape, uint32_t seed, int lo, int hi) {
  Tensor t = Tensor::create(dtype_v<T>, shape).value();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<T>()[i] = static_cast<T>(d(rng));
  return t;
}

inline void expect_close(const Tensor& ref, const Tensor& got, double atol, double rtol, const std::string& what) {
  ASSERT_EQ(ref.shape(), got.shape()) << what;
  ASSERT_EQ(ref.dtype(), got.dtype()) << what;
  if (ref.dtype() != DType::kFloat32) {  // integer outputs: exact
    int bad = 0;
    for (int64_t i = 0; i < ref.numel() && bad < 5; ++i)
      if (ref.get_int64(i) != got.get_int64(i)) {
        ADD_FAILURE() << what << ": element " << i << " ref " << ref.get_int64(i) << " fast " << got.get_int64(i);
        ++bad;
      }
    return;
  }
  const float* r = ref.data<float>();
  const float* g = got.data<float>();
  int bad = 0;
  for (int64_t i = 0; i < ref.numel() && bad < 5; ++i) {
    const bool same_nan = std::isnan(r[i]) && std::isnan(g[i]);
    if (!same_nan && !(std::fabs(double(r[i]) - g[i]) <= atol + rtol * std::fabs(double(r[i])))) {
      ADD_FAILURE() << what << ": element " << i << " ref " << r[i] << " fast " << g[i];
      ++bad;
    }
  }
}

// Runs reference, fast without a pool and fast with a 2-thread pool, and
// compares all three. Fails when the fast kernel does not take the case.
// The outputs of the reference kernel, the fast kernel alone and the fast
// kernel on a 2-thread pool.
struct ThreeRuns {
  std::vector<Tensor> ref, fast, threaded;
};

// Fills `out`; a fatal test failure when a run fails or the fast kernel does
// not take the case (callers check ::testing::Test::HasFatalFailure()).
inline void run_three(const NodeCase& c, const std::string& name, ThreeRuns* out) {
  auto ref = run_reference(c);
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  bool applied = false;
  auto fast = run_fast(c, name, nullptr, &applied);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(applied) << name << " did not take the case";
  std::unique_ptr<pthreadpool, decltype(&pthreadpool_destroy)> pool(pthreadpool_create(2), pthreadpool_destroy);
  auto threaded = run_fast(c, name, pool.get(), &applied);
  ASSERT_TRUE(threaded.is_ok()) << threaded.status().to_string();
  ASSERT_EQ(ref->size(), fast->size());
  *out = {std::move(ref).value(), std::move(fast).value(), std::move(threaded).value()};
}

inline void check_fast_matches(const NodeCase& c, const std::string& name, double atol, double rtol) {
  ThreeRuns r;
  run_three(c, name, &r);
  if (::testing::Test::HasFatalFailure()) return;
  for (size_t i = 0; i < r.ref.size(); ++i) {
    if (!r.ref[i].defined()) continue;
    expect_close(r.ref[i], r.fast[i], atol, rtol, name + " output " + std::to_string(i));
    expect_close(r.fast[i], r.threaded[i], 0, 0, name + " 2 threads vs none, output " + std::to_string(i));
  }
}

// True when prepare declines the case.
inline bool fast_declines(const NodeCase& c, const std::string& name) {
  Node node = c.node();
  auto k = prepare_fast(c, node, name, nullptr);
  return k.is_ok() && *k == nullptr;
}

}  // namespace ew::test
