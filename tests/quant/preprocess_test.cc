#include "quant/preprocess.h"

#include <gtest/gtest.h>

#include "ir/onnx_import.h"
#include "passes/pass_manager.h"
#include "quant_test_util.h"

namespace ew::quant {
namespace {

int count(const Model& m, const std::string& op) {
  auto h = op_histogram(m.graph);
  return h.count(op) ? h.at(op) : 0;
}

TEST(Preprocess, FoldsBatchNormAndBiasAddIntoStandardOps) {
  GraphBuilder b("bn", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(2), Dim(4), Dim(4)});
  std::string w = b.constant("w", test::pseudo_random({3, 2, 1, 1}, 1));
  std::string c = b.node("Conv", {x, w});
  std::string bn = b.node(
      "BatchNormalization",
      {c, b.constant("s", test::pseudo_random({3}, 2, 0.5f, 1.5f)), b.constant("bias", test::pseudo_random({3}, 3)),
       b.constant("mean", test::pseudo_random({3}, 4)), b.constant("var", test::pseudo_random({3}, 5, 0.5f, 1.5f))});
  std::string r = b.node("Relu", {bn});
  std::string id = b.node("Identity", {r});
  b.output(b.node("Add", {id, b.constant("k", test::pseudo_random({1, 3, 1, 1}, 6))}));
  auto built = b.build();
  ASSERT_TRUE(built.is_ok());
  Model m = std::move(built).value();
  Model before = m;
  PreprocessReport report;
  ASSERT_TRUE(preprocess(m, &report).is_ok());
  EXPECT_EQ(count(m, "BatchNormalization"), 0);
  EXPECT_EQ(count(m, "Identity"), 0);
  EXPECT_EQ(count(m, "Conv"), 1);
  EXPECT_EQ(count(m, "Relu"), 1);  // no FusedConv: standard ops only
  EXPECT_EQ(report.rewrites["conv_batch_norm_fusion"], 1);
  auto feed = std::map<std::string, Tensor>{{"x", test::pseudo_random({1, 2, 4, 4}, 7)}};
  auto want = test::run_model(before, feed);
  auto got = test::run_model(m, feed);
  ASSERT_EQ(got.size(), 1u);
  for (int64_t i = 0; i < want[0].numel(); ++i) EXPECT_NEAR(got[0].data<float>()[i], want[0].data<float>()[i], 1e-5);
}

TEST(Preprocess, FashionMbnetKeepsOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  auto loaded = load_onnx(test::shared_models_dir() + "/fashion_mbnet/model.onnx");
  ASSERT_TRUE(loaded.is_ok());
  Model m = std::move(loaded).value();
  Model before = m;
  ASSERT_TRUE(preprocess(m).is_ok());
  EXPECT_EQ(count(m, "Constant"), 0);
  EXPECT_EQ(count(m, "Conv"), 14);
  for (const auto& n : m.graph.nodes) EXPECT_TRUE(n.domain.empty()) << n.label();
  auto feed = std::map<std::string, Tensor>{{"input", test::pseudo_random({1, 1, 28, 28}, 3, 0.0f, 1.0f)}};
  auto want = test::run_model(before, feed);
  auto got = test::run_model(m, feed);
  ASSERT_EQ(got.size(), 1u);
  for (int64_t i = 0; i < want[0].numel(); ++i) EXPECT_NEAR(got[0].data<float>()[i], want[0].data<float>()[i], 1e-4);
}

}  // namespace
}  // namespace ew::quant
