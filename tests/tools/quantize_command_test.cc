// `edgewise quantize` end to end: a static QDQ model that loads, and the JSON report.
#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "core/npy.h"
#include "ir/onnx_import.h"
#include "test_util.h"
#include "../quant/quant_test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;


std::string mbnet() { return test::shared_models_dir() + "/fashion_mbnet/model.onnx"; }

TEST(QuantizeCommand, StaticWritesQdqModelAndJsonReport) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  const std::string calib = (fs::temp_directory_path() / "ew_quantize_calib.npy").string();
  const std::string out = (fs::temp_directory_path() / "ew_quantize_mbnet.onnx").string();
  ASSERT_TRUE(write_npy(calib, test::pseudo_random({8, 1, 28, 28}, 5, 0.0f, 1.0f)).is_ok());
  int status = -1;
  std::string text = test::run_cli("quantize " + mbnet() + " -o " + out + " --calib " + calib +
                             " --method minmax --no-per-channel --equalize --bias-correction --json", &status);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["mode"], "static");
  EXPECT_EQ(j["calibration_samples"], 8);
  EXPECT_EQ(j["calibration_method"], "minmax");
  EXPECT_GT(j["bias_corrected_layers"].get<int>(), 0);
  EXPECT_LT(j["bytes_after"].get<int64_t>(), j["bytes_before"].get<int64_t>() / 2);
  EXPECT_EQ(j["ops_after"]["Conv"], 14);
  EXPECT_EQ(j["ops_after"]["QuantizeLinear"], 19);
  EXPECT_EQ(j["layers"].size(), 19u);
  auto m = load_onnx(out);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  fs::remove(out);
  fs::remove(calib);
}

// The accuracy guard's verdict is in the JSON report; a model the mode cannot
// quantize is refused with a reason and a non-zero exit, and nothing is written.
TEST(QuantizeCommand, GuardReportsAndRefusals) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  const std::string out = (fs::temp_directory_path() / "ew_quantize_guard.onnx").string();
  int status = -1;
  std::string text = test::run_cli("quantize " + mbnet() + " -o " + out + " --mode dynamic --json", &status);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_TRUE(j["accuracy_guard"]["measured"].get<bool>());
  EXPECT_TRUE(j["accuracy_guard"]["random_inputs"].get<bool>());  // no --calib: random inputs
  EXPECT_GE(j["accuracy_guard"]["final_sqnr_db"].get<double>(), 20.0);
  EXPECT_TRUE(j["onnx_checked"].get<bool>());

  const std::string sr = test::shared_models_dir() + "/super_resolution_10/model.onnx";  // Conv only
  const std::string refused = (fs::temp_directory_path() / "ew_quantize_refused.onnx").string();
  fs::remove(refused);
  text = test::run_cli("quantize " + sr + " -o " + refused + " --mode dynamic", &status, true);
  EXPECT_NE(status, 0) << text;
  EXPECT_NE(text.find("nothing was quantized"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(refused));
}

TEST(QuantizeCommand, ClearErrors) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  int status = 0;
  std::string text = test::run_cli("quantize " + mbnet() + " -o /dev/null --mode bogus ", &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("static, dynamic, fp16 or int4"), std::string::npos) << text;
  text = test::run_cli("quantize " + mbnet() + " -o /dev/null ", &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("--calib"), std::string::npos) << text;
  text = test::run_cli("quantize " + mbnet() + " -o /dev/null --per-channel=maybe ", &status, true);
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("per-channel"), std::string::npos) << text;
}

// A boolean option is a bare flag, as users (and ORT's per_channel=True) spell it;
// --no-NAME and --NAME=false turn it off. Per-channel scales make the file larger.
TEST(QuantizeCommand, BooleanOptionsAreBareFlags) {
  EW_REQUIRE_SHARED_MODELS();
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  const std::string tag = std::to_string(getpid());
  const std::string calib = (fs::temp_directory_path() / ("ew_flags_calib_" + tag + ".npy")).string();
  const std::string out = (fs::temp_directory_path() / ("ew_flags_" + tag + ".onnx")).string();
  ASSERT_TRUE(write_npy(calib, test::pseudo_random({2, 1, 28, 28}, 5, 0.0f, 1.0f)).is_ok());
  std::map<std::string, int64_t> bytes;
  for (const char* flag : {"--per-channel", "--no-per-channel", "--per-channel=false"}) {
    int status = -1;
    std::string text = test::run_cli("quantize " + mbnet() + " -o " + out + " --calib " + calib + " " + flag + " --json", &status);
    ASSERT_EQ(status, 0) << flag << "\n" << text;
    auto j = nlohmann::json::parse(text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << text;
    bytes[flag] = j["bytes_after"].get<int64_t>();
  }
  fs::remove(out);
  fs::remove(calib);
  EXPECT_GT(bytes["--per-channel"], bytes["--no-per-channel"]);
  EXPECT_EQ(bytes["--per-channel=false"], bytes["--no-per-channel"]);
}

}  // namespace
}  // namespace ew
