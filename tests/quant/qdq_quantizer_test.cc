#include "quant/qdq_quantizer.h"

#include <gtest/gtest.h>

#include "ir/onnx_import.h"
#include "passes/graph_rewrite.h"
#include "passes/pass_manager.h"
#include "quant/preprocess.h"
#include "quant_test_util.h"

namespace ew::quant {
namespace {

int count(const Model& m, const std::string& op) {
  auto h = op_histogram(m.graph);
  return h.count(op) ? h.at(op) : 0;
}

const Node* producer(const Model& m, const std::string& value) {
  for (const auto& n : m.graph.nodes)
    for (const auto& o : n.outputs)
      if (o == value) return &n;
  return nullptr;
}

const Node* node_named(const Model& m, const std::string& name) {
  for (const auto& n : m.graph.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

struct Quantized {
  Model model;
  QuantizeReport report;
};

Quantized quantize_small(const QuantizeOptions& options) {
  Quantized q{test::small_cnn(), {}};
  EXPECT_TRUE(preprocess(q.model).is_ok());
  RangeMap ranges = test::observe_ranges(q.model, test::small_cnn_feeds(4));
  Status s = quantize_static(q.model, ranges, options, &q.report);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return q;
}

TEST(QdqQuantizer, CalibrationTensorsSkipRemovedActivationsAndSharedShapes) {
  Model m = test::small_cnn();
  ASSERT_TRUE(preprocess(m).is_ok());
  auto names = tensors_to_calibrate(m, {});
  ASSERT_TRUE(names.is_ok()) << names.status().to_string();
  // x, relu1 (conv1 takes its range), conv2, add, gap; flatten shares gap's; the Gemm output is a graph output.
  EXPECT_EQ(*names, (std::vector<std::string>{"add_out", "conv2_out", "gap_out", "relu1_out", "x"}));
}

TEST(QdqQuantizer, SmallCnnStructure) {
  Quantized q = quantize_small({});
  const Model& m = q.model;
  EXPECT_EQ(count(m, "Relu"), 0);  // removed: conv1 writes relu1_out with its non-negative range
  EXPECT_EQ(count(m, "QuantizeLinear"), 6);     // x, relu1, conv2, add, gap, flatten
  EXPECT_EQ(count(m, "DequantizeLinear"), 12);  // 6 activations + 3 weights + 3 biases
  const Node* conv1 = node_named(m, "conv1");
  ASSERT_TRUE(conv1);
  EXPECT_EQ(conv1->outputs[0], "relu1_out");
  const Node* wdq = producer(m, conv1->inputs[1]);
  ASSERT_TRUE(wdq && wdq->op_type == "DequantizeLinear");
  EXPECT_EQ(wdq->attr_int("axis", -1), 0);
  EXPECT_EQ(m.graph.initializer(wdq->inputs[0])->dtype(), DType::kInt8);
  EXPECT_EQ(m.graph.initializer(wdq->inputs[1])->shape(), (Shape{4}));
  const Node* bdq = producer(m, conv1->inputs[2]);
  ASSERT_TRUE(bdq && bdq->op_type == "DequantizeLinear");
  EXPECT_EQ(m.graph.initializer(bdq->inputs[0])->dtype(), DType::kInt32);
  // bias scale = input scale x weight scale, per channel
  const Node* xdq = producer(m, conv1->inputs[0]);
  ASSERT_TRUE(xdq && xdq->op_type == "DequantizeLinear");
  const float xs = m.graph.initializer(xdq->inputs[1])->data<float>()[0];
  for (int c = 0; c < 4; ++c)
    EXPECT_FLOAT_EQ(m.graph.initializer(bdq->inputs[1])->data<float>()[c],
                    xs * m.graph.initializer(wdq->inputs[1])->data<float>()[c]);
  EXPECT_EQ(m.graph.initializer(xdq->inputs[2])->dtype(), DType::kInt8);
  // Gemm with transB: per channel along axis 0 of [5,4]; its output (a graph output) stays float.
  const Node* gemm = node_named(m, "gemm");
  ASSERT_TRUE(gemm);
  const Node* gdq = producer(m, gemm->inputs[1]);
  ASSERT_TRUE(gdq && gdq->op_type == "DequantizeLinear");
  EXPECT_EQ(gdq->attr_int("axis", -1), 0);
  EXPECT_EQ(m.graph.initializer(gdq->inputs[1])->shape(), (Shape{5}));
  EXPECT_EQ(m.graph.outputs[0].name, gemm->outputs[0]);
  // Flatten shares the pool's params: same scale initializer.
  const Node* flatten = node_named(m, "flatten");
  const Node* gap_dq = producer(m, flatten->inputs[0]);
  const Node* flat_dq = producer(m, gemm->inputs[0]);
  ASSERT_TRUE(gap_dq && flat_dq);
  EXPECT_EQ(gap_dq->inputs[1], flat_dq->inputs[1]);
}

TEST(QdqQuantizer, ReportHasLayersSizesAndOps) {
  Quantized q = quantize_small({});
  ASSERT_FALSE(q.report.layers.empty());
  int weighted = 0;
  for (const auto& l : q.report.layers) {
    EXPECT_EQ(l.bits, 8) << l.node << ": " << l.why;
    if (l.op_type == "Conv" || l.op_type == "Gemm") {
      ++weighted;
      EXPECT_GT(l.weight_sqnr_db, 30.0) << l.node;
      EXPECT_GT(l.weight_scale_min, 0.0f);
      EXPECT_LE(l.weight_scale_min, l.weight_scale_max);
      EXPECT_GT(l.input_scale, 0.0f);
    }
  }
  EXPECT_EQ(weighted, 3);
  EXPECT_GT(q.report.bytes_before, 0);
  EXPECT_GT(q.report.bytes_after, 0);
  EXPECT_EQ(q.report.ops_before.at("Conv"), 2);
  EXPECT_EQ(q.report.ops_after.at("QuantizeLinear"), 6);
}

TEST(QdqQuantizer, FusesIntoIntegerOpsAndStaysClose) {
  Model float_model = test::small_cnn();
  Quantized q = quantize_small({});
  Model fused = q.model;
  ASSERT_TRUE(optimize_model(fused, 2).is_ok());
  EXPECT_EQ(count(fused, "QLinearConv"), 2);
  EXPECT_EQ(count(fused, "Conv"), 0);
  EXPECT_EQ(count(fused, "com.microsoft::QLinearAdd"), 1);
  EXPECT_EQ(count(fused, "com.microsoft::QLinearGlobalAveragePool"), 1);
  auto feed = test::small_cnn_feeds(1)[0];
  auto want = test::run_model(float_model, feed);
  auto got = test::run_model(q.model, feed, SessionOptions{});
  ASSERT_EQ(want.size(), 1u);
  ASSERT_EQ(got.size(), 1u);
  for (int64_t i = 0; i < want[0].numel(); ++i) EXPECT_NEAR(got[0].data<float>()[i], want[0].data<float>()[i], 0.05);
}

TEST(QdqQuantizer, PerTensorUint8Symmetric) {
  QuantizeOptions o;
  o.per_channel = false;
  o.activation_type = DType::kUInt8;
  o.symmetric_activations = true;
  Quantized q = quantize_small(o);
  const Model& m = q.model;
  EXPECT_EQ(count(m, "Relu"), 1);  // symmetric activations: no removal
  const Node* conv1 = node_named(m, "conv1");
  const Node* wdq = producer(m, conv1->inputs[1]);
  EXPECT_FALSE(wdq->has_attr("axis"));
  EXPECT_EQ(m.graph.initializer(wdq->inputs[1])->numel(), 1);
  const Node* xdq = producer(m, conv1->inputs[0]);
  const Tensor* zp = m.graph.initializer(xdq->inputs[2]);
  EXPECT_EQ(zp->dtype(), DType::kUInt8);
  EXPECT_EQ(zp->data<uint8_t>()[0], 128);
}

TEST(QdqQuantizer, ExcludeKeepFirstLastAndLayerBits) {
  QuantizeOptions o;
  o.exclude = {"Add"};
  o.keep_first_last = true;
  o.layer_bits["conv2"] = 16;
  Quantized q = quantize_small(o);
  std::map<std::string, LayerQuantReport> by_node;
  for (const auto& l : q.report.layers) by_node[l.node] = l;
  EXPECT_EQ(by_node["conv1"].bits, 32);
  EXPECT_EQ(by_node["conv1"].why, "first/last layer kept in float");
  EXPECT_EQ(by_node["gemm"].bits, 32);
  EXPECT_EQ(by_node["conv2"].bits, 32);
  EXPECT_EQ(by_node["add"].why, "excluded");
  EXPECT_EQ(count(q.model, "Relu"), 1);
  const Node* conv1 = node_named(q.model, "conv1");
  EXPECT_EQ(q.model.graph.initializer(conv1->inputs[1])->dtype(), DType::kFloat32);
}

TEST(QdqQuantizer, MissingRangeIsAnError) {
  Model m = test::small_cnn();
  RangeMap ranges;
  Status s = quantize_static(m, ranges, {});
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("no calibrated range"), std::string::npos) << s.message();
}

TEST(QdqQuantizer, OldOpsetIsUnsupported) {
  Model m = test::small_cnn();
  for (auto& o : m.opsets)
    if (o.domain.empty() || o.domain == "ai.onnx") o.version = 9;
  EXPECT_FALSE(quantize_static(m, {}, {}).is_ok());
}

}  // namespace
}  // namespace ew::quant

namespace ew::quant {
namespace {

std::map<std::string, Tensor> mbnet_feed(uint32_t seed) {
  return {{"input", test::pseudo_random({1, 1, 28, 28}, seed, 0.0f, 1.0f)}};
}

size_t argmax(const Tensor& t) {
  const float* p = t.data<float>();
  return static_cast<size_t>(std::max_element(p, p + t.numel()) - p);
}

TEST(QdqQuantizer, FashionMbnetRunsAndFusesEveryConv) {
  EW_REQUIRE_SHARED_MODELS();
  auto loaded = load_onnx(test::shared_models_dir() + "/fashion_mbnet/model.onnx");
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  Model m = std::move(loaded).value();
  ASSERT_TRUE(preprocess(m).is_ok());
  Model float_model = m;
  std::vector<std::map<std::string, Tensor>> feeds;
  for (uint32_t s = 0; s < 4; ++s) feeds.push_back(mbnet_feed(s));
  RangeMap ranges = test::observe_ranges(m, feeds);
  QuantizeReport report;
  Status st = quantize_static(m, ranges, {}, &report);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(count(m, "Clip"), 0);  // every ReLU6 follows a Conv: removed
  Model fused = m;
  ASSERT_TRUE(optimize_model(fused, 2).is_ok());
  EXPECT_EQ(count(fused, "QLinearConv"), 14);
  EXPECT_EQ(count(fused, "Conv"), 0);
  EXPECT_EQ(count(fused, "com.microsoft::QLinearAdd"), 2);
  EXPECT_LT(report.bytes_after, report.bytes_before / 2);
  for (uint32_t s = 0; s < 4; ++s) {
    auto want = test::run_model(float_model, feeds[s]);
    auto got = test::run_model(m, feeds[s], SessionOptions{});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(argmax(got[0]), argmax(want[0]));
  }
}

}  // namespace
}  // namespace ew::quant

namespace ew::quant {
namespace {

TEST(QdqQuantizer, ReluAfterFloatProducerIsKept) {
  GraphBuilder b("bias_relu", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(2), Dim(3), Dim(3)});
  std::string a = b.node("Add", {x, b.constant("k", test::pseudo_random({1, 2, 1, 1}, 1))}, {}, "add");
  std::string r = b.node("Relu", {a}, {}, "relu");
  b.output(b.node("Conv", {r, b.constant("w", test::pseudo_random({2, 2, 1, 1}, 2))}, {}, "conv"));
  auto built = b.build();
  ASSERT_TRUE(built.is_ok());
  Model m = std::move(built).value();
  RangeMap ranges = test::observe_ranges(m, {{{"x", test::pseudo_random({1, 2, 3, 3}, 3)}}});
  QuantizeReport report;
  ASSERT_TRUE(quantize_static(m, ranges, {}, &report).is_ok());
  EXPECT_EQ(count(m, "Relu"), 1);  // the Add (constant operand) stays float, so nothing clamps for the Relu
  EXPECT_EQ(count(m, "QuantizeLinear"), 2);  // the Relu's input and output (= the Conv input)
  EXPECT_EQ(report.layers.front().why, "constant operand");
}

}  // namespace
}  // namespace ew::quant
