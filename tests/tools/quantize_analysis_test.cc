// `edgewise quantize --analyze` and `--mixed` end to end, on tiny BERT
// (dynamic int8) calibrated on its own test data.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "ir/onnx_import.h"
#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;


std::string bert_dir() { return test::shared_models_dir() + "/tiny_bert_op17_random"; }

TEST(QuantizeAnalysis, AnalyzeReportsEveryLayerAsJson) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int status = -1;
  const std::string out = (fs::temp_directory_path() / "ew_analyze_unused.onnx").string();
  const std::string text = test::run_cli("quantize " + bert_dir() + "/model.onnx -o " + out + " --mode dynamic --analyze --calib " +
                                   bert_dir() + " --json", &status);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text);
  ASSERT_GE(j["layers"].size(), 16u);  // 8+ layers at 4 and 8 bits
  EXPECT_LE(j["layers"][0]["output"]["sqnr_db"].get<double>(), j["layers"][1]["output"]["sqnr_db"].get<double>());
  EXPECT_GT(j["full_model"]["sqnr_db"].get<double>(), 10.0);
  EXPECT_FALSE(j["full_model_layers"].empty());
}

TEST(QuantizeAnalysis, MixedSavesAChoiceWithinTheSizeBudget) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int status = -1;
  const std::string out = (fs::temp_directory_path() / "ew_mixed_bert.onnx").string();
  const std::string text = test::run_cli("quantize " + bert_dir() + "/model.onnx -o " + out +
                                   " --mode dynamic --mixed --size-budget 800000 --calib " + bert_dir() + " --json",
                                   &status);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text);
  const std::string saved = j["saved"];
  EXPECT_TRUE(j[saved]["meets_budget"].get<bool>());
  EXPECT_LE(j[saved]["bytes"].get<int64_t>(), 800000);
  EXPECT_LE(static_cast<int64_t>(fs::file_size(out)), 800000);
  EXPECT_TRUE(load_onnx(out).is_ok());
  for (const char* m : {"rule", "greedy"}) EXPECT_TRUE(j[m].contains("loss_pp")) << m;
}

TEST(QuantizeAnalysis, MixedWithoutABudgetIsAnError) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int status = -1;
  test::run_cli("quantize " + bert_dir() + "/model.onnx -o /tmp/ew_unused.onnx --mode dynamic --mixed --calib " + bert_dir(),
          &status);
  EXPECT_NE(status, 0);
}

}  // namespace
}  // namespace ew
