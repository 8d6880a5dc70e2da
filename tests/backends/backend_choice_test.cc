// The measured choice between backends through a Session: the first load
// measures and fills the cache, the second reads it and builds the same plan,
// a damaged cache is measured again, and outputs always match the reference.
#include "backends/backend_choice.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "check/compare.h"
#include "models/mobilenet.h"
#include "runtime/session.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

Tensor input(uint32_t seed) {
  auto t = Tensor::create(DType::kFloat32, {1, 3, 32, 32}).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

Model small_mobilenet() {
  MobileNetConfig cfg;
  cfg.resolution = 32;
  Model m = build_mobilenet(cfg).value();
  m.graph.inputs[0].type.dims[0] = Dim(1);
  return m;
}

struct Loaded {
  PlanSummary plan;
  Tensor output;
};

Loaded load_and_run(const std::string& cache, int threads = 1) {
  SessionOptions o;
  o.tuning_cache = cache;
  o.threads = threads;
  auto s = Session::create(small_mobilenet(), o);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  auto y = s.value()->run({{"input", input(3)}});
  EXPECT_TRUE(y.is_ok()) << y.status().to_string();
  return {s.value()->plan_summary(), y.value()[0]};
}

Tensor reference_output() {
  SessionOptions o;
  o.use_backends = false;
  o.fast_kernels = false;
  return Session::create(small_mobilenet(), o).value()->run({{"input", input(3)}}).value()[0];
}

class BackendChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::remove_all(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_ = (fs::temp_directory_path() / ("ew_choice_" + std::to_string(getpid()))).string();
};

TEST_F(BackendChoiceTest, FirstLoadMeasuresSecondReadsTheCache) {
  if (available_backends().empty()) GTEST_SKIP() << "no backend on this CPU";
  Loaded first = load_and_run(dir_);
  EXPECT_FALSE(first.plan.tuning_from_cache);
  ASSERT_TRUE(fs::exists(dir_));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}), 1);
  Loaded second = load_and_run(dir_);
  EXPECT_TRUE(second.plan.tuning_from_cache);
  EXPECT_EQ(second.plan.tuning_seconds, 0);
  EXPECT_EQ(first.plan.backend_nodes, second.plan.backend_nodes);
  EXPECT_EQ(first.plan.partitions, second.plan.partitions);
  const Tensor ref = reference_output();
  for (const Tensor* y : {&first.output, &second.output}) {
    Comparison c = compare_tensors(*y, ref, Tolerance{1e-4, 1e-5, 0});
    EXPECT_TRUE(c.match) << c.max_abs_error;
  }
}

TEST_F(BackendChoiceTest, EveryMeasuredChoiceNamesItsCandidates) {
  if (available_backends().size() < 2) GTEST_SKIP() << "only one backend here: nothing to choose";
  Loaded l = load_and_run(dir_);
  ASSERT_FALSE(l.plan.choices.empty());
  for (const auto& c : l.plan.choices) {
    EXPECT_GE(c.seconds.size(), 2u) << c.first_node;
    EXPECT_TRUE(c.seconds.count(c.chosen)) << c.first_node;
    for (const auto& [name, s] : c.seconds) EXPECT_GT(s, 0) << name;
  }
}

TEST_F(BackendChoiceTest, DamagedCacheIsMeasuredAgain) {
  if (available_backends().empty()) GTEST_SKIP() << "no backend on this CPU";
  load_and_run(dir_);
  for (const auto& e : fs::directory_iterator(dir_)) std::ofstream(e.path()) << "{\"key\": 12, \"choices\": [";
  Loaded again = load_and_run(dir_);
  EXPECT_FALSE(again.plan.tuning_from_cache);
  Comparison c = compare_tensors(again.output, reference_output(), Tolerance{1e-4, 1e-5, 0});
  EXPECT_TRUE(c.match) << c.max_abs_error;
}

TEST_F(BackendChoiceTest, NoCacheMeansNoFiles) {
  Loaded l = load_and_run("none");
  EXPECT_FALSE(l.plan.tuning_from_cache);
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(BackendChoiceTest, TwoThreadsAgreeWithTheReference) {
  Loaded l = load_and_run(dir_, 2);
  Comparison c = compare_tensors(l.output, reference_output(), Tolerance{1e-4, 1e-5, 0});
  EXPECT_TRUE(c.match) << c.max_abs_error;
}

}  // namespace
}  // namespace ew
