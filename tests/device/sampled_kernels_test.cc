// Sampled one-kernel models: deterministic, named kernel_*, every one loads
// into a Session and plans to a step covering its kernel.
#include "device/sampled_kernels.h"

#include <gtest/gtest.h>

#include <set>

#include "device/latency_eval.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"

namespace ew {
namespace {

TEST(SampledKernels, EveryFamilyBuildsAndPlans) {
  auto kernels = sample_kernel_models(15, 3);  // one of each family
  ASSERT_TRUE(kernels.is_ok()) << kernels.status().to_string();
  ASSERT_EQ(kernels->size(), 15u);
  std::set<std::string> names;
  for (SampledKernel& k : *kernels) {
    EXPECT_EQ(k.name.rfind("kernel_", 0), 0u) << k.name;
    names.insert(k.name);
    auto s = Session::create(k.model);
    ASSERT_TRUE(s.is_ok()) << k.name << ": " << s.status().to_string();
    auto named = random_inputs(**s);
    ASSERT_TRUE(named.is_ok()) << k.name;
    std::vector<Tensor> inputs;
    for (const auto& v : (*s)->inputs()) inputs.push_back(named->at(v.name));
    auto plan = (*s)->plan(inputs);
    ASSERT_TRUE(plan.is_ok()) << k.name << ": " << plan.status().to_string();
    auto steps = kernel_steps(**plan);
    EXPECT_FALSE(steps.empty()) << k.name;
  }
  EXPECT_EQ(names.size(), 15u);
  auto again = sample_kernel_models(15, 3);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ((*again)[7].name, (*kernels)[7].name);
}

TEST(SampledKernels, BadCountIsAnError) {
  EXPECT_FALSE(sample_kernel_models(-1).is_ok());
  auto none = sample_kernel_models(0);
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
}

TEST(SampledKernels, TrainOnlyPatternsMatchByPrefix) {
  EXPECT_TRUE(train_only_match("kernel_conv1x1_k1s1_c8-8_h7_0", {"kernel_*"}));
  EXPECT_TRUE(train_only_match("mbnet_r32", {"x", "mbnet_r32"}));
  EXPECT_FALSE(train_only_match("mbnet_r320", {"mbnet_r32"}));
  EXPECT_FALSE(train_only_match("resnet18_random", {"kernel_*", "mbnet_*"}));
}

}  // namespace
}  // namespace ew
