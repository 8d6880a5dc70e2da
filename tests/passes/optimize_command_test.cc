// `edgewise optimize` end to end: writes a loadable model and a JSON report.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "pass_test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;


TEST(OptimizeCommand, WritesOptimizedModelAndJsonReport) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  std::string out = (fs::temp_directory_path() / "ew_optimize_resnet18.onnx").string();
  int status = -1;
  std::string text = test::run_cli("optimize " + test::shared_model_path("resnet18_random") + " -o " + out +
                             " --level O2 --dims N=1 --json", &status, true);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["nodes_before"], 49);
  EXPECT_EQ(j["nodes_after"], 24);
  EXPECT_EQ(j["ops_after"]["com.microsoft::FusedConv"], 17);
  auto m = load_onnx(out);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  test::expect_same_outputs("resnet18_random", *m);
  fs::remove(out);
}

TEST(OptimizeCommand, RejectsUnknownLevel) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int status = 0;
  std::string text = test::run_cli("optimize " + test::shared_model_path("resnet18_random") + " -o /dev/null --level O7", &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("O0, O1 or O2"), std::string::npos) << text;
}

}  // namespace
}  // namespace ew
