#include "quant/dynamic_quantizer.h"

#include "quant/preprocess.h"
#include "quant/quant_params.h"
#include "quant/weight_matmul.h"
#include "quant_model_test_util.h"

namespace ew {
namespace {

TEST(DynamicQuantizer, TinyBertWritesStandardOpsThatFuse) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = test::load_shared("tiny_bert_op17_random");
  ASSERT_TRUE(quant::preprocess(m).is_ok());
  int weight_layers = 0;
  std::map<std::string, int64_t> weights;  // layers of the two encoder blocks share their weights
  for (const Node& n : m.graph.nodes)
    if (auto w = quant::weight_matmul(m.graph, n)) ++weight_layers, weights[w->weight_key] = w->weight.numel() * 4;
  int64_t weight_bytes = 0;
  for (const auto& [key, bytes] : weights) weight_bytes += bytes;
  quant::QuantizeReport r;
  Status st = quant::quantize_dynamic(m, test::dynamic_options(), &r);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(test::count_ops(m, "MatMulInteger"), weight_layers);
  // One DynamicQuantizeLinear per distinct activation (never more than one per layer).
  EXPECT_LE(test::count_ops(m, "DynamicQuantizeLinear"), weight_layers);
  // Weights shrink 4x (the float embeddings stay).
  EXPECT_LT(static_cast<double>(r.bytes_after), static_cast<double>(r.bytes_before) - 0.7 * static_cast<double>(weight_bytes));
  for (const auto& l : r.layers) EXPECT_EQ(l.bits, 8) << l.node;

  Model fused = m;
  OptimizeReport o;
  ASSERT_TRUE(optimize_model(fused, 2, &o).is_ok());
  EXPECT_EQ(test::count_ops(fused, "com.microsoft::DynamicQuantizeMatMul"), weight_layers);
  EXPECT_EQ(test::count_ops(fused, "MatMulInteger"), 0);

  std::vector<Tensor> f = test::run_on_test_data(test::load_shared("tiny_bert_op17_random"), "tiny_bert_op17_random", 0);
  std::vector<Tensor> q = test::run_on_test_data(m, "tiny_bert_op17_random", 0);
  std::vector<Tensor> qf = test::run_on_test_data(fused, "tiny_bert_op17_random", 0);
  std::vector<Tensor> fast = test::run_on_test_data(m, "tiny_bert_op17_random", 2);
  ASSERT_EQ(q.size(), f.size());
  ASSERT_EQ(qf.size(), f.size());
  ASSERT_EQ(fast.size(), f.size());
  EXPECT_GT(quant::sqnr_db(f[0], q[0]), 20.0);
  EXPECT_LT(test::max_abs_diff(q[0], qf[0]), 1e-4);    // fusion changes nothing
  EXPECT_LT(test::max_abs_diff(q[0], fast[0]), 1e-3);  // nor does the fast kernel
}

TEST(DynamicQuantizer, ExcludedAndMixedLayers) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = test::load_shared("tiny_bert_op17_random");
  ASSERT_TRUE(quant::preprocess(m).is_ok());
  std::vector<std::string> layers;
  for (const Node& n : m.graph.nodes)
    if (quant::weight_matmul(m.graph, n)) layers.push_back(n.name);
  ASSERT_GE(layers.size(), 3u);
  quant::QuantizeOptions o = test::dynamic_options();
  o.exclude = {layers[0]};
  o.layer_bits[layers[1]] = 4;
  o.layer_bits[layers[2]] = 16;
  quant::QuantizeReport r;
  Status st = quant::quantize_dynamic(m, o, &r);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(test::count_ops(m, "com.microsoft::MatMulNBits"), 1);
  EXPECT_EQ(test::count_ops(m, "MatMulInteger"), static_cast<int>(layers.size()) - 3);
  ASSERT_EQ(r.layers.size(), layers.size());
  EXPECT_EQ(r.layers[0].bits, 32);
  EXPECT_EQ(r.layers[1].bits, 4);
  EXPECT_EQ(r.layers[2].bits, 32);
  EXPECT_EQ(test::run_on_test_data(m, "tiny_bert_op17_random", 2).size(), 1u);
}

}  // namespace
}  // namespace ew
