// Every model in ../shared/models runs and matches each test_data_set_N:
// floats within rtol 1e-3 / atol 1e-4, int8 outputs within one step. Each
// model also survives export -> reload with identical outputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "check/compare.h"
#include "check/test_data.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> shared_model_names() {
  std::vector<std::string> names;
  std::string dir = test::shared_models_dir();
  if (dir.empty()) return {"(absent)"};
  for (const auto& e : fs::directory_iterator(dir))
    if (fs::exists(e.path() / "model.onnx")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Models whose reference cannot be matched yet, with the reason. Each is a
// known gap reported as a skip, never silently passed.
const std::map<std::string, std::string> kKnownGaps = {};

void expect_matches(const Session& s, const std::string& model_dir) {
  auto sets = list_test_data_sets(model_dir);
  ASSERT_FALSE(sets.empty());
  for (const auto& dir : sets) {
    auto data = read_test_data_set(dir);
    ASSERT_TRUE(data.is_ok()) << data.status().to_string();
    auto feeds = bind_inputs(s, *data);
    ASSERT_TRUE(feeds.is_ok()) << feeds.status().to_string();
    auto outs = s.run(*feeds);
    ASSERT_TRUE(outs.is_ok()) << dir << ": " << outs.status().to_string();
    ASSERT_EQ(outs->size(), data->outputs.size());
    for (size_t i = 0; i < outs->size(); ++i) {
      const Tensor& expected = data->outputs[i].tensor;
      Comparison c = compare_tensors((*outs)[i], expected, reference_tolerance(s.model(), s.outputs()[i].name, expected));
      EXPECT_TRUE(c.match) << dir << " output " << i << ": " << c.message << " (max rel " << c.max_rel_error << ")";
    }
  }
}

class SharedModel : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(SharedModel, MatchesReferenceOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  if (auto gap = kKnownGaps.find(GetParam()); gap != kKnownGaps.end()) GTEST_SKIP() << gap->second;
  std::string dir = test::shared_models_dir() + "/" + GetParam();
  auto s = Session::load(dir + "/model.onnx");
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  expect_matches(**s, dir);
}

TEST_P(SharedModel, ExportRoundTripKeepsOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  if (auto gap = kKnownGaps.find(GetParam()); gap != kKnownGaps.end()) GTEST_SKIP() << gap->second;
  std::string dir = test::shared_models_dir() + "/" + GetParam();
  auto model = load_onnx(dir + "/model.onnx");
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  auto bytes = serialize_onnx(*model);
  ASSERT_TRUE(bytes.is_ok());
  auto again = parse_onnx(*bytes);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->graph.nodes.size(), model->graph.nodes.size());
  EXPECT_EQ(again->graph.initializers.size(), model->graph.initializers.size());
  EXPECT_EQ(*serialize_onnx(*again), *bytes) << "load -> export -> load -> export must be identical";
  auto s = Session::create(std::move(again).value());
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  expect_matches(**s, dir);
}

INSTANTIATE_TEST_SUITE_P(Models, SharedModel, ::testing::ValuesIn(shared_model_names()),
                         [](const auto& info) { return info.param == "(absent)" ? std::string("absent") : info.param; });

}  // namespace ew
