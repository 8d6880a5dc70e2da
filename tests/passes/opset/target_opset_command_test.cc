// `edgewise optimize --target-opset N`: converts, reports what it rewrote, and
// with --level O0 changes nothing else.
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "../pass_test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

TEST(OpsetCommand, ConvertsDownWithJsonReport) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  const std::string out = (fs::temp_directory_path() / ("ew_opset11_" + std::to_string(::getpid()) + ".onnx")).string();
  int status = -1;
  std::string text = test::run_cli("optimize " + test::shared_model_path("tiny_bert_op17_random") + " -o " + out +
                                       " --target-opset 11 --level O0 --json", &status, true);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["opset"]["from"], 17);
  EXPECT_EQ(j["opset"]["to"], 11);
  EXPECT_EQ(j["opset"]["checked"], true);
  EXPECT_EQ(j["opset"]["per_op"]["LayerNormalization"][0]["nodes"], 5);
  EXPECT_EQ(j["opset"]["per_op"]["Unsqueeze"][0]["nodes"], 37);
  EXPECT_EQ(j["passes"].size(), 0u) << "O0 runs no pass";
  auto m = load_onnx(out);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->opset(""), 11);
  EXPECT_EQ(test::count_ops(*m, "LayerNormalization"), 0);
  test::expect_same_outputs("tiny_bert_op17_random", *m);
  fs::remove(out);
}

TEST(OpsetCommand, RejectsOpsetsOutsideTheRange) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int status = 0;
  std::string text = test::run_cli("optimize " + test::shared_model_path("mnist_8") + " -o /dev/null --target-opset 18",
                                   &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("--target-opset"), std::string::npos) << text;
}

}  // namespace
}  // namespace ew
