// Quantization inside If/Loop/Scan bodies, every mode, on the tiny models of
// control_flow_models.h: something is quantized (the output moves), the body
// layers are reported under their scoped names, the output stays within
// 20 dB SQNR of float on held-out inputs, and the export passes ONNX's full
// checker with every name defined once in the whole model.
#include <gtest/gtest.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstdio>
#include <set>

#include "ir/onnx_export.h"
#include "quant/body_quantization.h"
#include "quant/control_flow_models.h"
#include "quant/evaluate.h"
#include "quant/fp16_converter.h"
#include "quant/quant_model_test_util.h"
#include "quant/quantize_model.h"

namespace ew {
namespace {

using quant::QuantMode;

struct Quantized {
  Model model;
  quant::QuantizeReport report;
};

Quantized quantize(const Model& float_model, QuantMode mode) {
  Quantized q{float_model, {}};
  test::VectorSource calib(test::samples_for(float_model, 16, 100));
  quant::QuantizeOptions o;
  o.mode = mode;
  quant::CalibrationOptions co;
  co.method = quant::CalibrationMethod::kMinMax;
  Status s = quant::quantize_model(q.model, o, &calib, co, &q.report);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  if (mode == QuantMode::kFp16) q.report.layers = quant::fp16_layers(q.model);
  return q;
}

SessionOptions optimized() {
  SessionOptions o;  // opt level 2: bodies are optimized too (QDQ groups fused inside them)
  o.use_backends = false;
  return o;
}

// Output SQNR of `candidate` against `reference` over held-out inputs, and whether any output moved.
std::pair<double, bool> compare(const Model& reference, const Model& candidate) {
  auto ref = Session::create(reference, optimized());
  auto cand = Session::create(candidate, optimized());
  EXPECT_TRUE(ref.is_ok() && cand.is_ok()) << (ref.is_ok() ? cand.status() : ref.status()).to_string();
  if (!ref.is_ok() || !cand.is_ok()) return {0.0, false};
  quant::OutputComparer cmp;
  bool moved = false;
  for (const auto& feed : test::samples_for(reference, 8, 900)) {
    auto a = (*ref)->run(feed);
    auto b = (*cand)->run(feed);
    EXPECT_TRUE(a.is_ok() && b.is_ok()) << (a.is_ok() ? b.status() : a.status()).to_string();
    if (!a.is_ok() || !b.is_ok()) return {0.0, false};
    for (size_t k = 0; k < a->size(); ++k) {
      EXPECT_TRUE(cmp.add((*a)[k], (*b)[k]).is_ok());
      moved |= test::max_abs_diff((*a)[k], (*b)[k]) > 1e-7;
    }
  }
  return {cmp.result().sqnr_db, moved};
}

void count_definitions(const Graph& g, std::map<std::string, int>& defined) {
  for (const auto& v : g.inputs) ++defined[v.name];
  for (const auto& [n, t] : g.initializers) ++defined[n];
  for (const Node& node : g.nodes) {
    for (const auto& o : node.outputs) ++defined[o];
    for (const auto& [k, a] : node.attributes)
      if (a.g) count_definitions(*a.g, defined);
  }
}

void expect_valid_onnx(const Model& m) {
  std::map<std::string, int> defined;
  count_definitions(m.graph, defined);
  for (const auto& [name, count] : defined) EXPECT_EQ(count, 1) << "'" << name << "' is defined " << count << " times";
  auto bytes = serialize_onnx(m);
  ASSERT_TRUE(bytes.is_ok()) << bytes.status().to_string();
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(*bytes));
  try {
    // libonnx 1.12's check_model has no full_check flag; what it adds is this:
    // strict shape and type inference (check_type, error_mode 1).
    onnx::checker::check_model(proto);
    onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions(true, 1, false));
  } catch (const std::exception& e) {
    ADD_FAILURE() << "ONNX checker: " << e.what();
  }
}

const quant::LayerQuantReport* find_layer(const quant::QuantizeReport& r, const std::string& name) {
  for (const auto& l : r.layers)
    if (l.node == name) return &l;
  return nullptr;
}

struct Case {
  const char* model;
  Model (*make)();
  QuantMode mode;
  std::vector<std::string> layers;  // body layers that must be reported quantized
};

std::string case_name(const testing::TestParamInfo<Case>& info) {
  return std::string(info.param.model) + "_" + quant::quant_mode_name(info.param.mode);
}

class BodyQuantization : public testing::TestWithParam<Case> {};

TEST_P(BodyQuantization, QuantizesBodyLayersWithinTwentyDecibels) {
  const Case& c = GetParam();
  const Model float_model = c.make();
  Quantized q = quantize(float_model, c.mode);
  for (const auto& name : c.layers) {
    const quant::LayerQuantReport* l = find_layer(q.report, name);
    ASSERT_NE(l, nullptr) << "no layer " << name << " in the report";
    EXPECT_LT(l->bits, 32) << name << ": " << l->why;
  }
  auto [sqnr, moved] = compare(float_model, q.model);
  EXPECT_TRUE(moved) << "the quantized output equals the float one: nothing was quantized";
  EXPECT_GE(sqnr, 20.0);
  std::printf("[ sqnr ] %s %s: %.1f dB\n", c.model, quant::quant_mode_name(c.mode), sqnr);
  expect_valid_onnx(q.model);
}

std::vector<Case> cases() {
  std::vector<Case> out;
  const std::vector<std::string> if_conv_static{"if0/then_branch/t_conv1", "if0/then_branch/t_conv2",
                                                "if0/else_branch/e_conv1", "if0/else_branch/e_matmul"};
  const std::vector<std::string> if_conv_matmuls{"if0/then_branch/t_matmul", "if0/else_branch/e_matmul"};
  const std::vector<std::string> if_outer{"if0/then_branch/t_mm1", "if0/then_branch/t_mm2", "if0/else_branch/e_mm1",
                                          "if0/else_branch/e_mm2"};
  for (QuantMode mode : {QuantMode::kStatic, QuantMode::kDynamic, QuantMode::kInt4, QuantMode::kFp16}) {
    const bool convs = mode == QuantMode::kStatic || mode == QuantMode::kFp16;
    out.push_back({"if_conv", test::if_conv_model, mode, convs ? if_conv_static : if_conv_matmuls});
    out.push_back({"if_outer", test::if_outer_model, mode, if_outer});
    out.push_back({"loop", test::loop_model, mode, {"loop0/body/loop_matmul"}});
    out.push_back({"scan", test::scan_model, mode, {"scan0/body/scan_matmul"}});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Modes, BodyQuantization, testing::ValuesIn(cases()), case_name);

TEST(BodyQuantizationOuterWeights, FloatOuterWeightsGoOnceEveryBodyQuantizedThem) {
  for (QuantMode mode : {QuantMode::kStatic, QuantMode::kDynamic, QuantMode::kInt4}) {
    Quantized q = quantize(test::if_outer_model(), mode);
    for (const char* w : {"w_then", "w_else", "w_shared"})
      EXPECT_FALSE(q.model.graph.is_initializer(w)) << quant::quant_mode_name(mode) << ": float " << w << " is still there";
  }
}

TEST(BodyQuantizationOuterWeights, OriginalModelIsUntouched) {
  const Model float_model = test::if_conv_model();
  const Model shallow = float_model;  // shares its bodies with float_model
  Quantized q = quantize(shallow, QuantMode::kStatic);
  const Graph* then_g = float_model.graph.nodes.back().attr_graph("then_branch");
  ASSERT_NE(then_g, nullptr);
  EXPECT_EQ(then_g->nodes.size(), 5u);
  EXPECT_TRUE(then_g->is_initializer("t_w1"));
}

TEST(BodyQuantizationOptions, ScopedNamesSelectBodyNodes) {
  quant::QuantizeOptions o;
  o.exclude = {"if0/then_branch/t_conv1", "Gemm", "other/t_conv2"};
  o.layer_bits = {{"if0/then_branch/t_matmul", 4}, {"t_matmul", 8}, {"loop0/body/x", 16}};
  o.keep_first_last = true;
  quant::QuantizeOptions b = quant::body_options(o, "if0/then_branch");
  EXPECT_EQ(b.exclude, (std::vector<std::string>{"t_conv1", "Gemm", "other/t_conv2"}));
  EXPECT_EQ(b.layer_bits.at("t_matmul"), 4);
  EXPECT_FALSE(b.keep_first_last);
}

TEST(BodyQuantizationOptions, ExcludedBodyLayerStaysFloat) {
  Model m = test::if_outer_model();
  test::VectorSource calib(test::samples_for(m, 4, 100));
  quant::QuantizeOptions o;
  o.mode = QuantMode::kDynamic;
  o.exclude = {"if0/else_branch/e_mm1"};
  quant::QuantizeReport r;
  ASSERT_TRUE(quant::quantize_model(m, o, &calib, {}, &r).is_ok());
  const quant::LayerQuantReport* kept = find_layer(r, "if0/else_branch/e_mm1");
  const quant::LayerQuantReport* done = find_layer(r, "if0/then_branch/t_mm1");
  ASSERT_TRUE(kept && done);
  EXPECT_EQ(kept->bits, 32);
  EXPECT_EQ(done->bits, 8);
}

}  // namespace
}  // namespace ew
