// The quantizer's acceptance corpus: real-world-shaped float models built in
// code (OCR classifier and recogniser exported at opset 9 and 11, a
// mel-spectrogram front end, a wake-word embedding CNN behind one, a text
// detector with a sigmoid map), each quantized in every mode with the
// accuracy guard on. Every outcome must be one of two: a model that passes
// the ONNX checker with output SQNR >= 20 dB against float on held-out
// inputs, or an error that says why. Nothing else.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <random>
#include <set>

#include "core/npy.h"
#include "ir/graph_builder.h"
#include "ir/onnx_export.h"
#include "ops/shape_inference.h"
#include "ir/onnx_checker.h"
#include "quant/accuracy_guard.h"
#include "control_flow_models.h"
#include "quant_test_util.h"

namespace ew::quant {
namespace {

using Feed = std::map<std::string, Tensor>;

Tensor normal(const Shape& shape, float stddev, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, stddev);
  auto t = Tensor::create(DType::kFloat32, shape);
  if (!t.is_ok()) std::abort();
  for (int64_t i = 0; i < t->numel(); ++i) t->data<float>()[i] = d(rng);
  return std::move(t).value();
}

Tensor filled(const Shape& shape, const std::function<float(int64_t)>& f) {
  auto t = Tensor::create(DType::kFloat32, shape);
  if (!t.is_ok()) std::abort();
  for (int64_t i = 0; i < t->numel(); ++i) t->data<float>()[i] = f(i);
  return std::move(t).value();
}

// Conv with He-initialized weights and a small bias.
std::string conv(GraphBuilder& b, const std::string& x, int64_t cin, int64_t cout, int64_t k, int64_t stride,
                 uint32_t seed) {
  const float he = std::sqrt(2.0f / static_cast<float>(cin * k * k));
  std::string w = b.constant("w", normal({cout, cin, k, k}, he, seed));
  std::string bias = b.constant("b", normal({cout}, 0.05f, seed + 1));
  const int64_t p = k / 2;
  return b.node("Conv", {x, w, bias},
                {{"kernel_shape", Attribute::make_ints({k, k})}, {"strides", Attribute::make_ints({stride, stride})},
                 {"pads", Attribute::make_ints({p, p, p, p})}});
}

std::string batch_norm(GraphBuilder& b, const std::string& x, int64_t c, uint32_t seed) {
  std::string scale = b.constant("gamma", filled({c}, [](int64_t i) { return 0.8f + 0.05f * static_cast<float>(i % 8); }));
  std::string shift = b.constant("beta", normal({c}, 0.1f, seed));
  std::string mean = b.constant("mean", normal({c}, 0.2f, seed + 1));
  std::string var = b.constant("var", filled({c}, [](int64_t i) { return 0.5f + 0.1f * static_cast<float>(i % 5); }));
  return b.node("BatchNormalization", {x, scale, shift, mean, var});
}

std::string max_pool(GraphBuilder& b, const std::string& x, int64_t kh, int64_t kw) {
  return b.node("MaxPool", {x}, {{"kernel_shape", Attribute::make_ints({kh, kw})},
                                 {"strides", Attribute::make_ints({kh, kw})}});
}

// Declared output types filled in by inference, as an exporter writes them
// (ONNX Runtime refuses outputs of element type 0).
Model typed(Model m) {
  Status s = infer_shapes(m);
  if (!s.is_ok()) ADD_FAILURE() << s.to_string();
  return m;
}

Model built(GraphBuilder& b) {
  auto m = b.build();
  if (!m.is_ok()) ADD_FAILURE() << m.status().to_string();
  return m.is_ok() ? typed(std::move(m).value()) : Model{};
}

// A smooth "photo": a few low-frequency waves per channel plus fine noise, in [0, 1].
Tensor image(const Shape& s, int i) {
  std::mt19937 rng(static_cast<uint32_t>(7919 * i + 1));
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  const float fx = 1 + 4 * u(rng), fy = 1 + 4 * u(rng), ph = 6 * u(rng), noise_seed = u(rng);
  const int64_t h = s[2], w = s[3];
  return filled(s, [&](int64_t k) {
    const float x = static_cast<float>(k % w) / static_cast<float>(w), y = static_cast<float>(k / w % h) / static_cast<float>(h);
    const float c = static_cast<float>(k / (w * h));
    const float n = std::sin(static_cast<float>(k) * 12.9898f + noise_seed * 78.2f) * 0.05f;
    return 0.5f + 0.4f * std::sin(fx * x * 6.28f + fy * y * 3.1f + ph + c) + n;
  });
}

// Audio: two tones at a level drawn over 40 dB, plus a faint noise floor.
Tensor audio(int64_t n, int i) {
  std::mt19937 rng(static_cast<uint32_t>(104729 * i + 3));
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  const float level = std::pow(10.0f, -2.0f + 2.0f * u(rng));
  const float f1 = 0.02f + 0.3f * u(rng), f2 = 0.02f + 0.3f * u(rng);
  std::normal_distribution<float> noise(0.0f, 1e-4f);
  return filled({1, 1, n}, [&](int64_t k) {
    const float t = static_cast<float>(k);
    return level * (0.7f * std::sin(6.2832f * f1 * t) + 0.3f * std::sin(6.2832f * f2 * t)) + noise(rng);
  });
}

struct CorpusModel {
  std::string name;
  Model model;
  std::function<Feed(int)> sample;  // sample i: calibration 0..31, held out 1000+
};

// OCR direction classifier as exported by Paddle at opset 9: Conv-BN-ReLU-MaxPool twice, Gemm, Softmax.
CorpusModel ocr_classifier_opset9() {
  GraphBuilder b("ocr_cls", 9);
  std::string x = b.input("x", DType::kFloat32, {1, 3, 24, 48});
  x = max_pool(b, b.node("Relu", {batch_norm(b, conv(b, x, 3, 8, 3, 1, 11), 8, 12)}), 2, 2);
  x = max_pool(b, b.node("Relu", {batch_norm(b, conv(b, x, 8, 16, 3, 1, 13), 16, 14)}), 2, 2);
  x = b.node("Flatten", {x});
  std::string w = b.constant("fc_w", normal({16 * 6 * 12, 2}, 0.04f, 15));
  std::string bias = b.constant("fc_b", normal({2}, 0.05f, 16));
  b.output(b.node("Softmax", {b.node("Gemm", {x, w, bias})}), "prob");
  return {"ocr_classifier_opset9", built(b), [](int i) { return Feed{{"x", image({1, 3, 24, 48}, i)}}; }};
}

// CTC text recogniser at opset 11: a CNN over a text line, columns as time steps, per-step Softmax.
CorpusModel ocr_recognizer_opset11() {
  GraphBuilder b("ocr_rec", 11);
  std::string x = b.input("x", DType::kFloat32, {1, 3, 16, 64});
  x = max_pool(b, b.node("Relu", {conv(b, x, 3, 16, 3, 1, 21)}), 2, 2);   // 8 x 32
  x = max_pool(b, b.node("Relu", {conv(b, x, 16, 32, 3, 1, 22)}), 2, 1);  // 4 x 32
  x = b.node("Transpose", {x}, {{"perm", Attribute::make_ints({0, 3, 1, 2})}});  // 1, 32, 32, 4
  x = b.node("Reshape", {x, b.constant("shape", test::make_i64({3}, {1, 32, 128}))});
  std::string w = b.constant("proj_w", normal({128, 40}, 0.09f, 23));
  x = b.node("Add", {b.node("MatMul", {x, w}), b.constant("proj_b", normal({40}, 0.05f, 24))});
  b.output(b.node("Softmax", {x}, {{"axis", Attribute::make_int(2)}}), "probs");
  return {"ocr_recognizer_opset11", built(b), [](int i) { return Feed{{"x", image({1, 3, 16, 64}, i)}}; }};
}

// Log-mel spectrogram as exported by wake-word packages: STFT as two Convs (Hann-windowed DFT rows),
// power, mel filterbank MatMul, log. Returns the log-mel [1, 31, 16].
std::string log_mel(GraphBuilder& b, const std::string& audio_in) {
  constexpr int64_t kFft = 64, kBins = 33, kMels = 16;
  auto dft = [&](bool imag) {
    return filled({kBins, 1, kFft}, [&](int64_t k) {
      const double f = static_cast<double>(k / kFft), n = static_cast<double>(k % kFft);
      const double hann = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * n / kFft);
      const double a = 2 * std::numbers::pi * f * n / kFft;
      return static_cast<float>(hann * (imag ? -std::sin(a) : std::cos(a)));
    });
  };
  std::map<std::string, Attribute> stft{{"kernel_shape", Attribute::make_ints({kFft})},
                                        {"strides", Attribute::make_ints({32})}};
  std::string re = b.node("Conv", {audio_in, b.constant("dft_re", dft(false))}, stft);
  std::string im = b.node("Conv", {audio_in, b.constant("dft_im", dft(true))}, stft);
  std::string power = b.node("Add", {b.node("Mul", {re, re}), b.node("Mul", {im, im})});  // 1, 33, 31
  power = b.node("Transpose", {power}, {{"perm", Attribute::make_ints({0, 2, 1})}});
  Tensor mel = filled({kBins, kMels}, [&](int64_t k) {  // triangular filters
    const double bin = static_cast<double>(k / kMels), center = 1.0 + 1.9 * static_cast<double>(k % kMels);
    return static_cast<float>(std::max(0.0, 1.0 - std::abs(bin - center) / 2.0));
  });
  std::string m = b.node("MatMul", {power, b.constant("mel", std::move(mel))});
  return b.node("Log", {b.node("Add", {m, b.constant("eps", test::make_f32({}, {1e-6f}))})});
}

CorpusModel mel_frontend() {
  GraphBuilder b("melspec", 17);
  std::string a = b.input("audio", DType::kFloat32, {1, 1, 1024});
  b.output(log_mel(b, a), "log_mel");
  return {"mel_frontend", built(b), [](int i) { return Feed{{"audio", audio(1024, i)}}; }};
}

// Speech embedding behind the front end: log-mel -> Conv stack -> global pool -> Gemm.
CorpusModel mel_embedding_cnn() {
  GraphBuilder b("speech_embedding", 17);
  std::string a = b.input("audio", DType::kFloat32, {1, 1, 1024});
  std::string x = b.node("Unsqueeze", {log_mel(b, a), b.constant("axes", test::make_i64({1}, {1}))});  // 1,1,31,16
  x = b.node("Mul", {b.node("Add", {x, b.constant("offset", test::make_f32({}, {8.0f}))}),
                     b.constant("gain", test::make_f32({}, {0.15f}))});
  x = b.node("Relu", {conv(b, x, 1, 16, 3, 1, 31)});
  x = b.node("Relu", {conv(b, x, 16, 32, 3, 2, 32)});
  x = b.node("Flatten", {b.node("GlobalAveragePool", {x})});
  std::string w = b.constant("emb_w", normal({32, 24}, 0.25f, 33));
  b.output(b.node("Gemm", {x, w, b.constant("emb_b", normal({24}, 0.05f, 34))}), "embedding");
  return {"mel_embedding_cnn", built(b), [](int i) { return Feed{{"audio", audio(1024, i)}}; }};
}

// Text detector (DB-style): strided backbone, FPN (upsample + add, concat), head, sigmoid map.
CorpusModel text_detector() {
  GraphBuilder b("text_det", 17);
  std::string x = b.input("x", DType::kFloat32, {1, 3, 64, 64});
  std::string c1 = b.node("Relu", {conv(b, x, 3, 16, 3, 2, 41)});    // 32
  std::string c2 = b.node("Relu", {conv(b, c1, 16, 32, 3, 2, 42)});  // 16
  std::string c3 = b.node("Relu", {conv(b, c2, 32, 64, 3, 2, 43)});  // 8
  auto up = [&](const std::string& v) {
    return b.node("Resize", {v, "", b.constant("scales", test::make_f32({4}, {1, 1, 2, 2}))},
                  {{"mode", Attribute::make_string("nearest")}});
  };
  std::string p3 = conv(b, c3, 64, 24, 1, 1, 44);
  std::string p2 = b.node("Add", {conv(b, c2, 32, 24, 1, 1, 45), up(p3)});
  std::string p1 = b.node("Add", {conv(b, c1, 16, 24, 1, 1, 46), up(p2)});
  std::string fuse = b.node("Concat", {p1, up(p2)}, {{"axis", Attribute::make_int(1)}});
  std::string h = b.node("Relu", {conv(b, fuse, 48, 16, 3, 1, 47)});
  std::string logits = b.node("Conv", {h, b.constant("head_w", normal({1, 16, 1, 1}, 0.5f, 48)),
                                       b.constant("head_b", test::make_f32({1}, {-2.0f}))});
  b.output(up(b.node("Sigmoid", {logits})), "prob_map");
  return {"text_detector", built(b), [](int i) { return Feed{{"x", image({1, 3, 64, 64}, i)}}; }};
}

// Weights inside control flow (control_flow_models.h): a CNN in both If
// branches (a VAD choosing its network by sample rate), outer weights read by
// both branches (a wake-word head), a Loop and a Scan applying a MatMul per step.
CorpusModel control_flow(const std::string& name, Model m) {
  m = typed(std::move(m));
  Model shape_source = deep_copy(m);
  return {name, std::move(m), [shape_source](int i) {
            return test::samples_for(shape_source, 1, static_cast<uint32_t>(4000 + i))[0];
          }};
}

std::vector<CorpusModel> corpus() {
  return {ocr_classifier_opset9(), ocr_recognizer_opset11(), mel_frontend(), mel_embedding_cnn(), text_detector(),
          control_flow("if_branch_weights", test::if_conv_model()),
          control_flow("if_outer_weights", test::if_outer_model()), control_flow("loop_weights", test::loop_model()),
          control_flow("scan_weights", test::scan_model())};
}

std::vector<Feed> samples(const CorpusModel& c, int first, int n) {
  std::vector<Feed> out;
  for (int i = first; i < first + n; ++i) out.push_back(c.sample(i));
  return out;
}

struct Outcome {
  bool written = false;
  std::string error;
  double held_out_sqnr = 0;
  AccuracyGuardReport guard;
};

// With EW_CORPUS_DIR set, the float and the quantized models and held-out
// inputs are written there (bench/quantize_corpus.js checks them in ONNX Runtime).
void save_for_comparison(const CorpusModel& c, const Model& m, const std::string& suffix) {
  const char* dir = std::getenv("EW_CORPUS_DIR");
  if (!dir) return;
  const std::string base = std::string(dir) + "/" + c.name;
  EXPECT_TRUE(save_onnx(m, base + suffix + ".onnx").is_ok());
  if (suffix != ".float") return;
  for (int i = 0; i < 4; ++i)
    for (const auto& [name, t] : c.sample(1000 + i))
      EXPECT_TRUE(write_npy(base + ".input" + std::to_string(i) + "." + name + ".npy", t).is_ok());
}

Outcome quantize_one(const CorpusModel& c, QuantMode mode) {
  Outcome out;
  save_for_comparison(c, c.model, ".float");
  EXPECT_TRUE(check_onnx_model(c.model).is_ok()) << c.name << ": the float model itself must be valid";
  Model m = deep_copy(c.model);
  test::VectorSource calib(samples(c, 0, 32));
  QuantizeOptions o;
  o.mode = mode;
  o.reduce_range = std::getenv("EW_CORPUS_FULL_RANGE") == nullptr;  // EW_CORPUS_FULL_RANGE=1: 8-bit weights
  CalibrationOptions co;
  QuantizeReport r;
  Status s = quantize_guarded(m, o, &calib, co, AccuracyGuardOptions{}, &r, &out.guard);
  if (!s.is_ok()) {
    out.error = s.message();
    return out;
  }
  out.written = true;
  save_for_comparison(c, m, std::string(".") + quant_mode_name(mode));
  Status valid = check_onnx_model(m);
  EXPECT_TRUE(valid.is_ok()) << c.name << " " << quant_mode_name(mode) << ": " << valid.to_string();
  test::VectorSource held_out(samples(c, 1000, 16));
  auto cmp = compare_all_outputs(c.model, m, held_out, 16, 1);
  EXPECT_TRUE(cmp.is_ok()) << cmp.status().to_string();
  out.held_out_sqnr = 1e9;
  if (cmp.is_ok())
    for (const auto& oc : *cmp) out.held_out_sqnr = std::min(out.held_out_sqnr, oc.sqnr_db);
  return out;
}

class QuantizeCorpus : public ::testing::TestWithParam<QuantMode> {};

// Written with >= 20 dB on held-out inputs and a valid file, or refused with a reason.
TEST_P(QuantizeCorpus, WritesAGoodModelOrSaysWhy) {
  for (const CorpusModel& c : corpus()) {
    SCOPED_TRACE(c.name);
    std::printf("[corpus] %s %s ...\n", c.name.c_str(), quant_mode_name(GetParam()));
    std::fflush(stdout);
    Outcome o = quantize_one(c, GetParam());
    if (o.written) {
      EXPECT_GE(o.held_out_sqnr, 20.0);
      EXPECT_GT(o.guard.layers_quantized, 0);
    } else {
      EXPECT_NE(o.error.find("not written"), std::string::npos) << o.error;
    }
    std::string kept;
    for (const auto& k : o.guard.kept_float) kept += " " + k.node;
    std::printf("[corpus] %-24s %-8s %s first %.1f dB -> held-out %.1f dB; kept float:%s%s\n", c.name.c_str(),
                quant_mode_name(GetParam()), o.written ? "written" : "REFUSED", o.guard.first_sqnr_db,
                o.held_out_sqnr, kept.empty() ? " none" : kept.c_str(), o.written ? "" : ("; " + o.error).c_str());
  }
}

CorpusModel find(const std::string& name) {
  for (CorpusModel& c : corpus())
    if (c.name == name) return c;
  ADD_FAILURE() << "no corpus model " << name;
  return {};
}

Status quantize_with_guard(Model& m, const CorpusModel& c, QuantMode mode, QuantizeReport* r, AccuracyGuardReport* g) {
  test::VectorSource calib(samples(c, 0, 32));
  QuantizeOptions o;
  o.mode = mode;
  return quantize_guarded(m, o, &calib, CalibrationOptions{}, AccuracyGuardOptions{}, r, g);
}

// The front end ruins the fully quantized model; the measurement (not a list
// of op names) finds its layers, keeps them float and quantizes the CNN.
TEST(QuantizeCorpusGuard, KeepsTheSpectralFrontEndFloat) {
  CorpusModel c = find("mel_embedding_cnn");
  Model m = deep_copy(c.model);
  QuantizeReport r;
  AccuracyGuardReport g;
  ASSERT_TRUE(quantize_with_guard(m, c, QuantMode::kStatic, &r, &g).is_ok());
  EXPECT_LT(g.first_sqnr_db, 20.0);
  EXPECT_GE(g.final_sqnr_db, 20.0);
  ASSERT_FALSE(g.kept_float.empty());
  std::set<std::string> kept;
  for (const auto& k : g.kept_float) kept.insert(k.op_type);
  EXPECT_TRUE(kept.count("MatMul") || kept.count("Mul")) << "the power / mel stage stays float";
  int quantized_convs = 0;
  for (const auto& l : r.layers) quantized_convs += l.op_type == "Conv" && l.bits == 8;
  std::string layers;
  for (const auto& l : r.layers) layers += l.node + ":" + l.op_type + ":" + std::to_string(l.bits) + " ";
  EXPECT_GE(quantized_convs, 2) << "the CNN behind the front end is still quantized: " << layers;
  for (const auto& l : r.layers)
    for (const auto& k : g.kept_float)
      if (l.node == k.node) EXPECT_NE(l.why.find("accuracy guard"), std::string::npos) << l.node;
}

TEST(QuantizeCorpusGuard, RefusalLeavesTheModelAsGiven) {
  CorpusModel c = find("mel_frontend");
  Model m = deep_copy(c.model);
  Status s = quantize_with_guard(m, c, QuantMode::kDynamic, nullptr, nullptr);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("no layer can be quantized"), std::string::npos) << s.message();
  EXPECT_EQ(m.graph.nodes.size(), c.model.graph.nodes.size());
  EXPECT_EQ(m.opset(""), c.model.opset(""));
}

// The margin: the mel front end's best static layer alone gives ~20.5 dB on the
// calibration samples, which unseen inputs do not keep. Without a margin the
// guard writes it just above the floor; with the default 1 dB it refuses.
TEST(QuantizeCorpusGuard, HoldsAMarginAboveTheFloor) {
  CorpusModel c = find("mel_frontend");
  test::VectorSource calib(samples(c, 0, 32));
  QuantizeOptions o;
  AccuracyGuardOptions guard;
  guard.margin_db = 0.0;
  Model m = deep_copy(c.model);
  AccuracyGuardReport g;
  ASSERT_TRUE(quantize_guarded(m, o, &calib, CalibrationOptions{}, guard, nullptr, &g).is_ok());
  EXPECT_GE(g.final_sqnr_db, 20.0);
  EXPECT_LT(g.final_sqnr_db, 21.0);
  Model again = deep_copy(c.model);
  Status s = quantize_guarded(again, o, &calib, CalibrationOptions{}, AccuracyGuardOptions{}, nullptr, nullptr);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("21.0 dB on the measured samples"), std::string::npos) << s.message();
}

TEST(QuantizeCorpusGuard, NothingToQuantizeSaysSo) {
  CorpusModel c = find("text_detector");  // only Conv layers: nothing for the dynamic mode
  Model m = deep_copy(c.model);
  Status s = quantize_with_guard(m, c, QuantMode::kDynamic, nullptr, nullptr);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("nothing was quantized"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--mode static"), std::string::npos) << s.message();
}

TEST(QuantizeCorpusGuard, OldOpsetsAreUpgradedFirst) {
  CorpusModel c = find("ocr_classifier_opset9");
  for (QuantMode mode : {QuantMode::kStatic, QuantMode::kDynamic}) {
    Model m = deep_copy(c.model);
    QuantizeReport r;
    Status s = quantize_with_guard(m, c, mode, &r, nullptr);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    EXPECT_EQ(r.opset_before, 9);
    EXPECT_EQ(r.opset_after, mode == QuantMode::kStatic ? 13 : 11);
    EXPECT_EQ(m.opset(""), r.opset_after);
    EXPECT_TRUE(r.onnx_checked);
    EXPECT_TRUE(check_onnx_model(m).is_ok());
  }
}

// The guard reaches layers inside bodies: a floor above what int4 gives
// sends the most sensitive body layers back to float.
TEST(QuantizeCorpusGuard, KeepsBodyLayersFloatWhenNeeded) {
  CorpusModel c = find("if_branch_weights");
  Model m = deep_copy(c.model);
  test::VectorSource calib(samples(c, 0, 32));
  QuantizeOptions o;
  o.mode = QuantMode::kInt4;
  AccuracyGuardOptions guard;
  guard.min_sqnr_db = 40.0;  // above any single int4 layer: refused, naming the body layers
  Status refused = quantize_guarded(m, o, &calib, CalibrationOptions{}, guard, nullptr, nullptr);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.message().find("then_branch/"), std::string::npos) << refused.message();
  guard.min_sqnr_db = 23.0;  // between the two branches' int4 layers alone
  QuantizeReport r;
  AccuracyGuardReport g;
  Status s = quantize_guarded(m, o, &calib, CalibrationOptions{}, guard, &r, &g);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_LT(g.first_sqnr_db, 23.0);
  EXPECT_GE(g.final_sqnr_db, 23.0);
  ASSERT_FALSE(g.kept_float.empty());
  EXPECT_NE(g.kept_float[0].node.find("_branch/"), std::string::npos) << g.kept_float[0].node;
  EXPECT_GT(g.layers_quantized, 0);
}

// Without calibration data (dynamic mode) the guard measures on random inputs.
TEST(QuantizeCorpusGuard, MeasuresOnRandomInputsWithoutData) {
  CorpusModel c = find("ocr_recognizer_opset11");
  Model m = deep_copy(c.model);
  QuantizeOptions o;
  o.mode = QuantMode::kDynamic;
  AccuracyGuardReport g;
  ASSERT_TRUE(quantize_guarded(m, o, nullptr, CalibrationOptions{}, AccuracyGuardOptions{}, nullptr, &g).is_ok());
  EXPECT_TRUE(g.measured);
  EXPECT_TRUE(g.random_inputs);
  EXPECT_GE(g.final_sqnr_db, 20.0);
}

INSTANTIATE_TEST_SUITE_P(Modes, QuantizeCorpus,
                         ::testing::Values(QuantMode::kStatic, QuantMode::kDynamic, QuantMode::kInt4, QuantMode::kFp16),
                         [](const auto& info) { return std::string(quant_mode_name(info.param)); });

}  // namespace
}  // namespace ew::quant
