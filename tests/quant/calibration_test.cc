#include "quant/calibration.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "ir/graph_builder.h"
#include "ir/onnx_import.h"
#include "quant/calibration_source.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew::quant {
namespace {

bool have_fashion_mnist() { return std::filesystem::exists("/usr/share/datasets/fashion-mnist"); }

TEST(CalibrationTest, MethodNames) {
  for (auto m : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile, CalibrationMethod::kEntropy}) {
    auto back = calibration_method_from_name(calibration_method_name(m));
    ASSERT_TRUE(back.is_ok());
    EXPECT_EQ(*back, m);
  }
  EXPECT_FALSE(calibration_method_from_name("kl").is_ok());
}

// x -> Relu -> Neg: exact ranges from a small in-memory source.
TEST(CalibrationTest, SmallGraphMinMaxRanges) {
  GraphBuilder b("g");
  std::string x = b.input("x", DType::kFloat32, {Dim::symbolic("N"), 3});
  std::string r = b.node("Relu", {x}, {}, "relu");
  b.output(b.node("Neg", {r}, {}, "neg"), "y");
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  auto src = make_array_source({{"x", test::make_f32({2, 3}, {-1, 2, 3, 4, -5, 0.5f})}}, *m, 0);
  ASSERT_TRUE(src.is_ok());
  CalibrationOptions o;
  o.method = CalibrationMethod::kMinMax;
  int calls = 0;
  o.progress = [&](int done, int total) {
    ++calls;
    EXPECT_EQ(total, 2);
    EXPECT_EQ(done, calls);
  };
  auto ranges = calibrate(*m, **src, {"x", r, "y"}, o);
  ASSERT_TRUE(ranges.is_ok()) << ranges.status().to_string();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(ranges->at("x").min, -5.0f);
  EXPECT_EQ(ranges->at("x").max, 4.0f);
  EXPECT_EQ(ranges->at(r).min, 0.0f);
  EXPECT_EQ(ranges->at(r).max, 4.0f);
  EXPECT_EQ(ranges->at("y").min, -4.0f);
  EXPECT_EQ(ranges->at("y").max, 0.0f);
  auto bad = calibrate(*m, **src, {"nope"}, o);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("'nope'"), std::string::npos);
}

Model load_shared(const std::string& name) {
  auto m = load_onnx(test::shared_models_dir() + "/" + name + "/model.onnx");
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return std::move(m).value();
}

std::vector<std::string> activations(const Model& m) {
  std::vector<std::string> names = {m.graph.inputs[0].name};
  for (const Node& n : m.graph.nodes)
    if (n.op_type != "Constant") names.insert(names.end(), n.outputs.begin(), n.outputs.end());
  return names;
}

// With calibrate()'s session options every step is one model node, and every node's outputs reach the observer.
TEST(CalibrationTest, UnoptimizedSessionStepsAreSingleNodes) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = load_shared("fashion_mbnet");
  SessionOptions so;
  so.opt_level = 0;
  so.use_backends = false;
  so.fast_kernels = true;
  auto s = Session::create(m, so);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  struct Check : StepObserver {
    std::set<std::string> seen;
    size_t max_nodes = 0;
    void after_step(const StepEvent& e) override {
      max_nodes = std::max(max_nodes, e.nodes.size());
      for (size_t k = 0; k < e.outputs.size() && k < e.node.outputs.size(); ++k)
        if (e.outputs[k].defined()) seen.insert(e.node.outputs[k]);
    }
  } check;
  auto input = Tensor::create(DType::kFloat32, {2, 1, 28, 28});
  ASSERT_TRUE(input.is_ok());
  ASSERT_TRUE((*s)->run({{m.graph.inputs[0].name, *input}}, &check).is_ok());
  EXPECT_EQ(check.max_nodes, 1u);
  for (const Node& n : m.graph.nodes)
    for (const auto& o : n.outputs) EXPECT_TRUE(check.seen.count(o)) << o;
}

TEST(CalibrationTest, FashionMbnetRangesOnFashionMnist) {
  EW_REQUIRE_SHARED_MODELS();
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  Model m = load_shared("fashion_mbnet");
  auto src = open_calibration_source("fashion-mnist", m, 64);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  std::vector<std::string> names = activations(m);
  std::map<CalibrationMethod, RangeMap> by_method;
  for (auto method : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile, CalibrationMethod::kEntropy}) {
    CalibrationOptions o;
    o.method = method;
    auto few = open_calibration_source("fashion-mnist", m, 8);  // the entropy search is the slow part
    ASSERT_TRUE(few.is_ok());
    auto r = calibrate(m, method == CalibrationMethod::kEntropy ? **few : **src, names, o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_EQ(r->size(), std::set<std::string>(names.begin(), names.end()).size());
    for (const auto& [name, range] : *r) EXPECT_LE(range.min, range.max) << name;
    by_method[method] = std::move(r).value();
  }
  const RangeMap& mm = by_method[CalibrationMethod::kMinMax];
  const RangeMap& pct = by_method[CalibrationMethod::kPercentile];
  EXPECT_EQ(mm.at("input").min, 0.0f);
  EXPECT_EQ(mm.at("input").max, 1.0f);
  int clips = 0;
  for (const Node& n : m.graph.nodes) {
    if (n.op_type != "Clip") continue;
    ++clips;
    const std::string& o = n.outputs[0];
    EXPECT_EQ(mm.at(o).min, 0.0f) << o;
    EXPECT_LE(mm.at(o).max, 6.0f) << o;
    EXPECT_EQ(by_method[CalibrationMethod::kEntropy].at(o).min, 0.0f) << o;
    EXPECT_EQ(pct.at(o).min, 0.0f) << o;
  }
  EXPECT_GT(clips, 0);
  for (const auto& [name, r] : pct) {
    EXPECT_GE(r.min, mm.at(name).min) << name;
    EXPECT_LE(r.max, mm.at(name).max) << name;
  }
}

TEST(CalibrationTest, FashionResnetReluOutputsStartAtZero) {
  EW_REQUIRE_SHARED_MODELS();
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  Model m = load_shared("fashion_resnet");
  auto src = open_calibration_source("fashion-mnist", m, 8);
  ASSERT_TRUE(src.is_ok()) << src.status().to_string();
  std::vector<std::string> relus;
  for (const Node& n : m.graph.nodes)
    if (n.op_type == "Relu") relus.push_back(n.outputs[0]);
  ASSERT_FALSE(relus.empty());
  CalibrationOptions o;
  o.method = CalibrationMethod::kEntropy;
  auto r = calibrate(m, **src, relus, o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  for (const auto& name : relus) {
    EXPECT_EQ(r->at(name).min, 0.0f) << name;
    EXPECT_GT(r->at(name).max, 0.0f) << name;
  }
}

}  // namespace
}  // namespace ew::quant
