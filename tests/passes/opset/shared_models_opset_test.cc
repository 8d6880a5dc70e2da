// Every shared model converted to opset 17 and down to 11 computes what the
// original computes (Edgewise's own kernels on test_data_set_0 inputs).
#include <filesystem>

#include "check/test_data.h"
#include "ir/onnx_import.h"
#include "opset_test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> shared_model_names() {
  std::vector<std::string> names;
  if (test::shared_models_dir().empty()) return names;
  for (const auto& e : fs::directory_iterator(test::shared_models_dir()))
    if (fs::exists(e.path() / "model.onnx")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Our kernels without backends: quick, and the same on both sides of a comparison.
Result<std::vector<Tensor>> run_ours(const Model& model, const TestDataSet& data) {
  SessionOptions o;
  o.opt_level = 0;
  o.use_backends = false;
  EW_ASSIGN_OR_RETURN(auto session, Session::create(model, o));
  EW_ASSIGN_OR_RETURN(auto feeds, bind_inputs(*session, data));
  return session->run(feeds);
}

void expect_converted_outputs(const std::string& name, const Model& original, const std::vector<Tensor>& want,
                              const TestDataSet& data, int64_t target) {
  SCOPED_TRACE(name + " -> opset " + std::to_string(target));
  Model m = original;
  OpsetReport report;
  Status s = convert_opset(m, target, &report);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_TRUE(report.checked);
  auto got = run_ours(m, data);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  ASSERT_EQ(got->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    Comparison c = compare_tensors((*got)[i], want[i], Tolerance{1e-5, 1e-5, 0});
    EXPECT_TRUE(c.match) << "output " << i << ": " << c.message;
  }
}

class OpsetSharedModel : public ::testing::TestWithParam<std::string> {};

TEST_P(OpsetSharedModel, ConvertTo17AndDownTo11WithTheSameOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  const std::string name = GetParam();
  auto model = load_onnx(test::shared_models_dir() + "/" + name + "/model.onnx");
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  auto data = read_test_data_set(test::shared_models_dir() + "/" + name + "/test_data_set_0");
  ASSERT_TRUE(data.is_ok()) << data.status().to_string();
  auto want = run_ours(*model, *data);
  ASSERT_TRUE(want.is_ok()) << want.status().to_string();
  expect_converted_outputs(name, *model, *want, *data, 17);
  expect_converted_outputs(name, *model, *want, *data, 11);
}

INSTANTIATE_TEST_SUITE_P(Opset, OpsetSharedModel, ::testing::ValuesIn(shared_model_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OpsetSharedModel);

}  // namespace
}  // namespace ew
