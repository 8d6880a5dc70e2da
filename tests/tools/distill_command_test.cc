// `edgewise distill` end to end: a chain teacher -> spec -> spec on .npy data
// with a JSON report of every stage and an HTML report; bad input exits
// non-zero naming the problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/npy.h"
#include "test_util.h"
#include "train/blobs.h"
#include "tools/cli_errors.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

struct Workspace {
  fs::path dir;
  std::string x, y;
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

Workspace make_workspace(const std::string& name) {
  Workspace w;
  w.dir = fs::temp_directory_path() / ("ew_distill_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(w.dir);
  fs::create_directories(w.dir);
  const train::TrainingData d = train::test::blobs(300, 3, 0.4f);
  const Tensor &x = d.inputs, &y = d.labels;
  w.x = w.path("x.npy");
  w.y = w.path("y.npy");
  EXPECT_TRUE(write_npy(w.x, x).is_ok());
  EXPECT_TRUE(write_npy(w.y, y).is_ok());
  for (auto [file, hidden, classes] : {std::tuple{"t.json", 32, 3}, {"m.json", 12, 3}, {"s.json", 4, 3}, {"four.json", 4, 4}})
    std::ofstream(w.path(file)) << R"({"family":"mlp","input":[1,1,4],"classes":)" << classes << R"(,"hidden":[)" << hidden
                                << R"(],"seed":4})";
  return w;
}

TEST(DistillCommand, ChainReportsEveryStage) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("chain");
  const std::string data = " --data " + w.x + " --labels " + w.y + " --lr 0.01 ";
  int status = -1;
  test::run_cli("train " + w.path("t.json") + data + "--epochs 5 -o " + w.path("t.onnx"), &status);
  ASSERT_EQ(status, 0);
  std::string text = test::run_cli("distill --chain " + w.path("t.onnx") + "," + w.path("m.json") + "," + w.path("s.json") +
                                       data + "--epochs 3 --latency-runs 2 --device raspberry_pi_4 --teacher-cache " +
                                       w.path("cache") + " --report " + w.path("d.html") + " -o " + w.path("s.onnx") +
                                       " --json",
                                   &status);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["accuracy_on"], "validation");
  ASSERT_EQ(j["stages"].size(), 3u);
  for (const auto& s : j["stages"]) {
    EXPECT_GT(s["parameters"].get<int64_t>(), 0);
    EXPECT_GT(s["file_bytes"].get<int64_t>(), 0);
    EXPECT_TRUE(s["accuracy"].is_number());
    EXPECT_TRUE(s["measured_p50_ms"].is_number());
    EXPECT_TRUE(s["predicted_ms"].is_number());
  }
  EXPECT_FALSE(j["stages"][0].contains("training"));
  EXPECT_EQ(j["stages"][1]["teacher_logits"]["mode"], "cached");
  EXPECT_EQ(j["stages"][2]["training"]["epochs"].size(), 3u);
  EXPECT_GT(j["stages"][2]["accuracy"].get<double>(), 0.6);
  EXPECT_TRUE(fs::exists(w.path("s.stage1.onnx")));
  EXPECT_TRUE(fs::exists(w.path("s.onnx")));
  EXPECT_GT(fs::file_size(w.path("d.html")), 1000u);

  // The same chain again reuses the cached teacher logits of stage 1.
  text = test::run_cli("distill --teacher " + w.path("t.onnx") + " --student " + w.path("m.json") + data +
                           "--epochs 1 --latency-runs 0 --teacher-cache " + w.path("cache") + " -o " + w.path("m.onnx") +
                           " --json",
                       &status);
  ASSERT_EQ(status, 0) << text;
  j = nlohmann::json::parse(text, nullptr, false);
  EXPECT_EQ(j["stages"][1]["teacher_logits"]["reused"], true) << text;
  fs::remove_all(w.dir);
}

TEST(DistillCommand, BadInputExitsNonZeroWithAReason) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("bad");
  const std::string data = " --data " + w.x + " --labels " + w.y + " --epochs 1 --latency-runs 0 -o " + w.path("o.onnx");
  int status = -1;
  test::run_cli("train " + w.path("t.json") + " --data " + w.x + " --labels " + w.y + " --epochs 1 -o " + w.path("t.onnx"),
                &status);
  ASSERT_EQ(status, 0);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"distill --student " + w.path("s.json") + data, "--teacher"},
      {"distill --chain " + w.path("t.json") + "," + w.path("s.json") + data, "not a spec"},
      {"distill --teacher " + w.path("t.onnx") + " --student " + w.path("four.json") + data, "classes"},
      {"distill --teacher " + w.path("t.onnx") + " --student " + w.path("s.json") + data + " --temperature 0", "temperature"},
      {"distill --teacher " + w.path("missing.onnx") + " --student " + w.path("s.json") + data, "missing.onnx"},
  };
  test::expect_cli_errors(cases);
  fs::remove_all(w.dir);
}

}  // namespace
}  // namespace ew
