// Helpers for quantizer tests: a small CNN built in code, deterministic
// inputs, and activation ranges observed by running the float model.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ir/graph_builder.h"
#include "quant/calibration.h"
#include "runtime/executor.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew::test {

// Deterministic pseudo-random floats in [lo, hi).
inline Tensor pseudo_random(const Shape& shape, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  auto t = Tensor::create(DType::kFloat32, shape);
  if (!t.is_ok()) std::abort();
  uint32_t s = seed * 2654435761u + 1u;
  for (int64_t i = 0; i < t->numel(); ++i) {
    s = s * 1664525u + 1013904223u;
    t->data<float>()[i] = lo + (hi - lo) * static_cast<float>(s >> 8) / 16777216.0f;
  }
  return std::move(t).value();
}

// Records the min/max of every node output (reference kernels, no fusion, so
// names are the model's own).
class RangeObserver : public StepObserver {
 public:
  quant::RangeMap ranges;
  void after_step(const StepEvent& e) override {
    for (size_t k = 0; k < e.outputs.size() && k < e.node.outputs.size(); ++k) record(e.node.outputs[k], e.outputs[k]);
  }
  void record(const std::string& name, const Tensor& t) {
    if (t.dtype() != DType::kFloat32 || t.numel() == 0) return;
    const float* p = t.data<float>();
    auto [lo, hi] = std::minmax_element(p, p + t.numel());
    auto it = ranges.find(name);
    if (it == ranges.end()) ranges[name] = {*lo, *hi};
    else it->second = {std::min(it->second.min, *lo), std::max(it->second.max, *hi)};
  }
};

inline SessionOptions reference_options() {
  SessionOptions o;
  o.opt_level = 0;
  o.use_backends = false;
  o.fast_kernels = false;
  return o;
}

inline quant::RangeMap observe_ranges(const Model& model, const std::vector<std::map<std::string, Tensor>>& feeds) {
  RangeObserver obs;
  auto s = Session::create(model, reference_options());
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  if (!s.is_ok()) return {};
  for (const auto& f : feeds) {
    for (const auto& [name, t] : f) obs.record(name, t);
    auto out = (*s)->run(f, &obs);
    EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  }
  return obs.ranges;
}

inline std::vector<Tensor> run_model(const Model& model, const std::map<std::string, Tensor>& feed,
                                     const SessionOptions& options = reference_options()) {
  auto s = Session::create(model, options);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  if (!s.is_ok()) return {};
  auto out = (*s)->run(feed);
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return out.is_ok() ? std::move(out).value() : std::vector<Tensor>{};
}

// x[1,2,6,6] -> Conv(3x3, 4 ch) -> Relu -> Conv(1x1) -> Add(relu, conv2) ->
// GlobalAveragePool -> Flatten -> Gemm(transB, 5 outputs) -> y.
inline Model small_cnn() {
  GraphBuilder b("small_cnn", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(2), Dim(6), Dim(6)});
  std::string w1 = b.constant("w1", pseudo_random({4, 2, 3, 3}, 1, -0.5f, 0.5f));
  std::string b1 = b.constant("b1", pseudo_random({4}, 2, -0.1f, 0.1f));
  std::string c1 = b.node("Conv", {x, w1, b1}, {{"pads", Attribute::make_ints({1, 1, 1, 1})}}, "conv1");
  std::string r1 = b.node("Relu", {c1}, {}, "relu1");
  std::string w2 = b.constant("w2", pseudo_random({4, 4, 1, 1}, 3, -0.5f, 0.5f));
  std::string b2 = b.constant("b2", pseudo_random({4}, 4, -0.1f, 0.1f));
  std::string c2 = b.node("Conv", {r1, w2, b2}, {}, "conv2");
  std::string a = b.node("Add", {r1, c2}, {}, "add");
  std::string p = b.node("GlobalAveragePool", {a}, {}, "gap");
  std::string f = b.node("Flatten", {p}, {}, "flatten");
  std::string wg = b.constant("wg", pseudo_random({5, 4}, 5, -0.5f, 0.5f));
  std::string bg = b.constant("bg", pseudo_random({5}, 6, -0.1f, 0.1f));
  std::string y = b.node("Gemm", {f, wg, bg}, {{"transB", Attribute::make_int(1)}}, "gemm");
  b.output(y);
  auto m = b.build();
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return m.is_ok() ? std::move(m).value() : Model{};
}

inline std::vector<std::map<std::string, Tensor>> small_cnn_feeds(int n) {
  std::vector<std::map<std::string, Tensor>> feeds;
  for (int i = 0; i < n; ++i) feeds.push_back({{"x", pseudo_random({1, 2, 6, 6}, 100 + i)}});
  return feeds;
}

}  // namespace ew::test

namespace ew::test {

// Calibration samples held in memory.
class VectorSource : public quant::CalibrationSource {
 public:
  explicit VectorSource(std::vector<std::map<std::string, Tensor>> samples) : samples_(std::move(samples)) {}
  int size() const override { return static_cast<int>(samples_.size()); }
  Result<bool> next(std::map<std::string, Tensor>& inputs) override {
    if (pos_ >= samples_.size()) return false;
    inputs = samples_[pos_++];
    return true;
  }
  Status rewind() override {
    pos_ = 0;
    return Status::ok();
  }

 private:
  std::vector<std::map<std::string, Tensor>> samples_;
  size_t pos_ = 0;
};

inline void expect_near_outputs(const std::vector<Tensor>& got, const std::vector<Tensor>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t k = 0; k < got.size(); ++k) {
    ASSERT_EQ(got[k].numel(), want[k].numel());
    for (int64_t i = 0; i < got[k].numel(); ++i)
      EXPECT_NEAR(got[k].data<float>()[i], want[k].data<float>()[i], tol) << "output " << k << " element " << i;
  }
}

}  // namespace ew::test
