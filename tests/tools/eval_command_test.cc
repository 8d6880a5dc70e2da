// edgewise eval through the CLI: JSON keys and error handling.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;


TEST(EvalCommandTest, JsonWithCompare) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists("/usr/share/datasets/fashion-mnist")) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  std::string model = test::shared_models_dir() + "/fashion_mbnet/model.onnx";
  int rc = -1;
  std::string out = test::run_cli("eval " + model + " --dataset fashion-mnist --count 200 --batch 64 --compare " + model + " --json", &rc);
  ASSERT_EQ(rc, 0) << out;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["count"], 200);
  EXPECT_GT(j["top1"].get<double>(), 0.8);
  EXPECT_EQ(j["compare_top1"], j["top1"]);
  EXPECT_EQ(j["agreement"].get<double>(), 1.0);
  EXPECT_EQ(j["mean_kl"].get<double>(), 0.0);
}

TEST(EvalCommandTest, BadArgumentsFailCleanly) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int rc = -1;
  test::run_cli("eval /nonexistent/model.onnx --dataset fashion-mnist", &rc);
  EXPECT_EQ(rc, 2);
  EW_REQUIRE_SHARED_MODELS();
  test::run_cli("eval " + test::shared_models_dir() + "/fashion_mbnet/model.onnx --dataset cifar10", &rc);
  EXPECT_EQ(rc, 2);
}

}  // namespace
}  // namespace ew
