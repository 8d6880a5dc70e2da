// `edgewise palettize` end to end: a trained model palettized at 4 bits, scored
// before and after, its codebooks fine-tuned; bad input exits non-zero.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/npy.h"
#include "ir/onnx_import.h"
#include "test_util.h"
#include "train/blobs.h"
#include "tools/cli_errors.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

struct Workspace {
  fs::path dir;
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

Workspace make_workspace(const std::string& name) {
  Workspace w{fs::temp_directory_path() / ("ew_palettize_cli_" + name + "_" + std::to_string(::getpid()))};
  fs::remove_all(w.dir);
  fs::create_directories(w.dir);
  const train::TrainingData d = train::test::blobs(300, 3, 0.4f);
  const Tensor &x = d.inputs, &y = d.labels;
  EXPECT_TRUE(write_npy(w.path("x.npy"), x).is_ok());
  EXPECT_TRUE(write_npy(w.path("y.npy"), y).is_ok());
  std::ofstream(w.path("mlp.json")) << R"({"family":"mlp","input":[1,1,4],"classes":3,"hidden":[32, 32],"seed":4})";
  return w;
}

TEST(PalettizeCommand, PalettizesScoresAndFineTunes) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("ok");
  const std::string data = " --data " + w.path("x.npy") + " --labels " + w.path("y.npy");
  int status = -1;
  test::run_cli("train " + w.path("mlp.json") + data + " --epochs 5 --lr 0.01 -o " + w.path("m.onnx"), &status);
  ASSERT_EQ(status, 0);
  std::string text = test::run_cli("palettize " + w.path("m.onnx") + " -o " + w.path("p.onnx") +
                                       " --bits 2 --min-elements 100" + data + " --epochs 2 --lr 1e-3 --json",
                                   &status);
  ASSERT_EQ(status, 0) << text;
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["bits"], 2);
  EXPECT_EQ(j["layers"].size(), 2u);  // 4x32 and 32x32 weights; the 32x3 head is below --min-elements
  EXPECT_EQ(j["accuracy_on"], "validation");
  for (const char* k : {"accuracy_before", "accuracy_palettized", "accuracy_fine_tuned"}) EXPECT_TRUE(j[k].is_number()) << k;
  EXPECT_LT(j["palettized_weight_bytes"].get<int64_t>(), j["float_weight_bytes"].get<int64_t>());
  EXPECT_GT(j["size_ratio"].get<double>(), 0.0);  // so small a model gains nothing on disk: the unpacking nodes weigh more
  EXPECT_EQ(j["training"]["epochs"].size(), 2u);
  auto m = load_onnx(w.path("p.onnx"));
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  int gathers = 0;
  for (const Node& n : m->graph.nodes) gathers += n.op_type == "Gather";
  EXPECT_EQ(gathers, 2);  // the palettized structure survives fine-tuning
  text = test::run_cli("run " + w.path("p.onnx") + " --dims N=2", &status, true);
  EXPECT_EQ(status, 0) << text;
  fs::remove_all(w.dir);
}

TEST(PalettizeCommand, BadInputExitsNonZeroWithAReason) {
  if (!fs::exists(test::cli_path())) GTEST_SKIP() << "edgewise CLI not built";
  Workspace w = make_workspace("bad");
  int status = -1;
  test::run_cli("train " + w.path("mlp.json") + " --data " + w.path("x.npy") + " --labels " + w.path("y.npy") +
                    " --epochs 1 -o " + w.path("m.onnx"),
                &status);
  ASSERT_EQ(status, 0);
  const std::string out = " -o " + w.path("p.onnx");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"palettize " + w.path("m.onnx") + out + " --bits 0", "bits"},
      {"palettize " + w.path("missing.onnx") + out, "missing.onnx"},
      {"palettize " + w.path("m.onnx") + out + " --epochs 1", "needs --dataset"},
      {"palettize " + w.path("m.onnx") + out + " --min-elements 100000", "no weight"},
  };
  test::expect_cli_errors(cases);
  fs::remove_all(w.dir);
}

}  // namespace
}  // namespace ew
