#include "train/model_builder.h"

#include <cmath>
#include <cstring>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "ir/onnx_checker.h"
#include "ops/shape_inference.h"
#include "runtime/model_stats.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew::train {
namespace {

const char* kMlpJson =
    R"({"family":"mlp","input":[1,28,28],"classes":10,"hidden":[256,128],"activation":"relu","dropout":0.1,"seed":1})";
const char* kMobileNetJson =
    R"({"family":"mobilenetv2","input":[1,28,28],"classes":10,"width":1.0,"stem":{"channels":16,"stride":1},)"
    R"("stages":[{"t":1,"c":16,"n":1,"s":1},{"t":6,"c":24,"n":2,"s":2,"k":3,"se":false}],"head":128})";
const char* kResNetJson =
    R"({"family":"resnet","input":[1,28,28],"classes":10,"stem":{"channels":32,"kernel":3,"stride":1,"maxpool":false},)"
    R"("stages":[{"c":32,"n":2,"s":1},{"c":64,"n":2,"s":2}]})";

ModelSpec parse(const std::string& json) {
  auto s = parse_model_spec(json, "spec.json");
  EXPECT_TRUE(s.is_ok()) << s.status().message();
  return s.is_ok() ? *s : ModelSpec{};
}

Model build(const ModelSpec& spec) {
  auto m = build_model(spec);
  EXPECT_TRUE(m.is_ok()) << m.status().message();
  return m.is_ok() ? std::move(m).value() : Model{};
}

// A shallow copy (it shares the bytes), so it outlives a temporary model.
Tensor init(const Model& m, const std::string& name) {
  const Tensor* t = m.graph.initializer(name);
  EXPECT_NE(t, nullptr) << "no initializer " << name;
  return t ? *t : Tensor();
}

bool trainable(const std::string& name) {
  auto ends = [&](const char* s) { return name.size() > std::strlen(s) && name.ends_with(s); };
  return ends(".weight") || ends(".bias") || ends(".scale");
}

int64_t trainable_count(const Model& m) {
  int64_t n = 0;
  for (const auto& [name, t] : m.graph.initializers)
    if (trainable(name)) n += t.numel();
  return n;
}

std::set<std::string> nodes_of(const Model& m, const std::string& op_type) {
  std::set<std::string> names;
  for (const Node& n : m.graph.nodes)
    if (n.op_type == op_type) names.insert(n.name);
  return names;
}

// Checks with libonnx, then runs batches of 2 and 3: logits [N, classes], finite.
void check_and_run(const ModelSpec& spec) {
  Model m = build(spec);
  Status valid = check_onnx_model(m);
  ASSERT_TRUE(valid.is_ok()) << valid.message();
  SessionOptions options;
  options.use_backends = false;  // the graph is under test, not the backends' tuning
  auto session = Session::create(m, options);
  ASSERT_TRUE(session.is_ok()) << session.status().message();
  for (int64_t n : {2, 3}) {
    Tensor x = Tensor::create(DType::kFloat32, {n, spec.channels, spec.height, spec.width}).value();
    for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] = std::sin(0.37f * static_cast<float>(i));
    auto out = (*session)->run({{"input", x}});
    ASSERT_TRUE(out.is_ok()) << out.status().message();
    ASSERT_EQ(out->size(), 1u);
    EXPECT_EQ((*out)[0].shape(), (Shape{n, spec.classes}));
    for (int64_t i = 0; i < (*out)[0].numel(); ++i) ASSERT_TRUE(std::isfinite((*out)[0].data<float>()[i]));
  }
  ASSERT_EQ(m.graph.outputs.size(), 1u);
  EXPECT_EQ(m.graph.outputs[0].name, "logits");
  EXPECT_EQ(m.graph.inputs[0].name, "input");
  EXPECT_EQ(m.opset(""), 17);
}

std::string error_of(const std::string& json) {
  auto s = parse_model_spec(json, "spec.json");
  return s.is_ok() ? "(parsed)" : s.status().message();
}

TEST(ModelBuilder, MlpPassesCheckerAndRuns) {
  check_and_run(parse(kMlpJson));
  Model m = build(parse(kMlpJson));
  EXPECT_EQ(nodes_of(m, "Dropout"), (std::set<std::string>{"hidden1.dropout", "hidden2.dropout"}));
  EXPECT_FLOAT_EQ(init(m, "const.dropout_ratio").data<float>()[0], 0.1f);
  EXPECT_EQ(nodes_of(m, "Gemm").size(), 3u);
}

TEST(ModelBuilder, MlpEveryActivationPassesCheckerAndRuns) {
  for (const char* act : {"relu", "relu6", "gelu", "tanh", "sigmoid", "hardswish"}) {
    SCOPED_TRACE(act);
    ModelSpec s;
    s.family = "mlp";
    s.channels = 2, s.height = 3, s.width = 3, s.classes = 4;
    s.mlp.hidden = {8, 6};
    s.mlp.activation = act;
    check_and_run(s);
  }
}

TEST(ModelBuilder, MobileNetV2PassesCheckerAndRuns) {
  check_and_run(parse(kMobileNetJson));
  // Every kernel size, squeeze-excite, hardswish, width multiplier, RGB input.
  check_and_run(parse(R"({"family":"mobilenetv2","input":[3,20,18],"classes":5,"width":0.5,"activation":"hardswish",)"
                      R"("stem":{"channels":16,"stride":2},"stages":[{"t":1,"c":16,"s":1,"k":5,"se":true},)"
                      R"({"t":4,"c":24,"n":2,"s":2,"k":7},{"t":3,"c":32,"s":2,"k":3,"se":true}],"head":64})"));
}

TEST(ModelBuilder, ResNetPassesCheckerAndRuns) {
  check_and_run(parse(kResNetJson));
  check_and_run(parse(R"({"family":"resnet","input":[3,32,32],"classes":7,"stem":{"channels":8,"kernel":7,"stride":2},)"
                      R"("stages":[{"c":8,"n":1},{"c":16,"n":1,"s":2}]})"));
}

TEST(ModelBuilder, ParameterCountsEqualClosedForm) {
  // 784*256+256 + 256*128+128 + 128*10+10
  ModelSpec mlp = parse(kMlpJson);
  EXPECT_EQ(count_parameters(mlp).value(), 235146);
  EXPECT_EQ(trainable_count(build(mlp)), 235146);
  // stem 1*16*9+2*16 = 176; stage1 dw 16*9+32 + project 16*16+32 = 464;
  // stage2.block1 expand 16*96+192, dw 96*9+192, project 96*24+48 = 5136;
  // stage2.block2 expand 24*144+288, dw 144*9+288, project 144*24+48 = 8832;
  // head 24*128+256 = 3328; classifier 128*10+10 = 1290.
  ModelSpec mb = parse(kMobileNetJson);
  EXPECT_EQ(count_parameters(mb).value(), 19226);
  EXPECT_EQ(trainable_count(build(mb)), 19226);
  // With squeeze-excite and a 5x5 depthwise kernel: block = expand 1728 +
  // dw 96*25+192 + se (96*24+24 + 24*96+96) + project 2352 = 11400.
  ModelSpec se = mb;
  se.mobilenetv2.stages = {{6, 24, 1, 2, 5, true}};
  EXPECT_EQ(count_parameters(se).value(), 176 + 11400 + 3328 + 1290);
  EXPECT_EQ(trainable_count(build(se)), 176 + 11400 + 3328 + 1290);
  // stem 32*9+64 = 352; stage1 2 * 2 * (32*32*9+64); stage2.block1 conv1
  // 32*64*9+128, conv2 64*64*9+128, shortcut 32*64+128; block2 2*(64*64*9+128); fc 650.
  ModelSpec rn = parse(kResNetJson);
  const int64_t resnet = 352 + 4 * 9280 + (18560 + 36992 + 2176) + 2 * 36992 + 650;
  EXPECT_EQ(count_parameters(rn).value(), resnet);
  EXPECT_EQ(trainable_count(build(rn)), resnet);
}

TEST(ModelBuilder, ResidualAddsExactlyWhereStrideOneAndChannelsEqual) {
  ModelSpec s = parse(kMobileNetJson);
  s.mobilenetv2.stages = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 24, 1, 1}, {6, 32, 2, 1}, {6, 32, 1, 2}};
  Model m = build(s);
  EXPECT_EQ(nodes_of(m, "Add"), (std::set<std::string>{"stage1.block1.add", "stage2.block2.add", "stage3.block1.add",
                                                       "stage4.block2.add"}));
  // Each Add reads the block's input and its projection's BN.
  for (const Node& n : m.graph.nodes) {
    if (n.op_type != "Add") continue;
    EXPECT_EQ(n.inputs[1], n.name.substr(0, n.name.size() - 4) + ".project.bn_out");
  }
}

TEST(ModelBuilder, ResNetProjectsShortcutsExactlyWhereShapeChanges) {
  ModelSpec s = parse(kResNetJson);
  s.resnet.stages = {{32, 2, 1}, {64, 2, 2}, {64, 1, 2}, {96, 1, 1}};
  Model m = build(s);
  std::set<std::string> projections;
  for (const Node& n : m.graph.nodes)
    if (n.op_type == "Conv" && n.name.ends_with(".shortcut.conv")) projections.insert(n.name);
  EXPECT_EQ(projections, (std::set<std::string>{"stage2.block1.shortcut.conv", "stage3.block1.shortcut.conv",
                                                "stage4.block1.shortcut.conv"}));
  EXPECT_EQ(nodes_of(m, "Add").size(), 6u);  // every basic block adds
}

TEST(ModelBuilder, WidthMultiplierRoundsChannelsAsMakeDivisible) {
  EXPECT_EQ(make_divisible(16, 8), 16);
  EXPECT_EQ(make_divisible(18, 8), 24);  // 16 would lose more than 10%
  EXPECT_EQ(make_divisible(33.6, 8), 32);
  EXPECT_EQ(make_divisible(10, 8), 16);
  EXPECT_EQ(make_divisible(3, 8), 8);
  EXPECT_EQ(make_divisible(179.2, 8), 176);
  EXPECT_EQ(make_divisible(10, 1), 10);

  ModelSpec s = parse(kMobileNetJson);
  s.mobilenetv2.stem_channels = 32;
  s.mobilenetv2.stages = {{1, 24, 1, 1}, {6, 32, 1, 2}, {6, 96, 1, 2}};
  s.mobilenetv2.width = 0.75;  // 24, 18 -> 24, 24, 72; head 128 * max(1, 0.75)
  Model m = build(s);
  EXPECT_EQ(init(m, "stem.conv.weight").dim(0), 24);
  EXPECT_EQ(init(m, "stage1.block1.project.conv.weight").dim(0), 24);
  EXPECT_EQ(init(m, "stage2.block1.project.conv.weight").dim(0), 24);
  EXPECT_EQ(init(m, "stage3.block1.project.conv.weight").dim(0), 72);
  EXPECT_EQ(init(m, "head.conv.weight").dim(0), 128);
  EXPECT_EQ(nodes_of(m, "Add"), (std::set<std::string>{"stage1.block1.add"}));  // 24 == 24 after rounding
  s.mobilenetv2.width = 1.4;  // head 128 * 1.4 = 179.2 -> 176
  EXPECT_EQ(init(build(s), "head.conv.weight").dim(0), 176);
  s.mobilenetv2.width = 1.0;
  s.mobilenetv2.divisor = 1;
  s.mobilenetv2.stages = {{1, 10, 1, 1}};
  EXPECT_EQ(init(build(s), "stage1.block1.project.conv.weight").dim(0), 10);
}

double stddev(const Tensor& t, double* mean) {
  double sum = 0, sq = 0;
  for (int64_t i = 0; i < t.numel(); ++i) sum += t.data<float>()[i], sq += double(t.data<float>()[i]) * t.data<float>()[i];
  *mean = sum / double(t.numel());
  return std::sqrt(sq / double(t.numel()) - *mean * *mean);
}

TEST(ModelBuilder, HeInitStdMatchesFanInAndXavierStaysInBound) {
  ModelSpec s;
  s.family = "mlp";
  s.channels = 1, s.height = 32, s.width = 32;
  s.mlp.hidden = {512};
  Model m = build(s);
  double mean = 0;
  const double he = stddev(init(m, "hidden1.weight"), &mean);  // 512 x 1024 samples
  EXPECT_NEAR(he, std::sqrt(2.0 / 1024), 0.1 * std::sqrt(2.0 / 1024));
  EXPECT_NEAR(mean, 0.0, 0.01 * std::sqrt(2.0 / 1024));
  const Tensor fc = init(m, "classifier.weight");  // no ReLU after it: Xavier
  const double bound = std::sqrt(6.0 / (512 + 10));
  for (int64_t i = 0; i < fc.numel(); ++i) ASSERT_LE(std::fabs(fc.data<float>()[i]), bound);
  for (float b : test::values_f32(init(m, "hidden1.bias"))) ASSERT_EQ(b, 0.0f);

  s.init = "xavier";  // everywhere: uniform, std = bound / sqrt(3)
  const double xb = std::sqrt(6.0 / (1024 + 512));
  const Tensor w = init(build(s), "hidden1.weight");
  for (int64_t i = 0; i < w.numel(); ++i) ASSERT_LE(std::fabs(w.data<float>()[i]), xb);
  EXPECT_NEAR(stddev(w, &mean), xb / std::sqrt(3.0), 0.1 * xb / std::sqrt(3.0));

  // A conv: fan_in = 64 * 3 * 3.
  const double conv = stddev(init(build(parse(kResNetJson)), "stage2.block2.conv1.weight"), &mean);
  EXPECT_NEAR(conv, std::sqrt(2.0 / 576), 0.1 * std::sqrt(2.0 / 576));
}

TEST(ModelBuilder, SameSeedSameBytesDifferentSeedDifferent) {
  for (const char* json : {kMlpJson, kMobileNetJson, kResNetJson}) {
    ModelSpec spec = parse(json);
    Model a = build(spec), b = build(spec);
    ASSERT_EQ(a.graph.initializers.size(), b.graph.initializers.size());
    for (const auto& [name, t] : a.graph.initializers) {
      const Tensor u = init(b, name);
      ASSERT_EQ(t.nbytes(), u.nbytes()) << name;
      EXPECT_EQ(std::memcmp(t.raw(), u.raw(), t.nbytes()), 0) << name;
    }
    spec.seed += 1;
    Model c = build(spec);
    int differing = 0, weights = 0;
    for (const auto& [name, t] : a.graph.initializers) {
      if (!name.ends_with(".weight")) continue;
      ++weights;
      differing += std::memcmp(t.raw(), init(c, name).raw(), t.nbytes()) != 0;
    }
    EXPECT_EQ(differing, weights) << json;
  }
  // Per-parameter streams: a deeper net keeps the stem's weights.
  ModelSpec shallow = parse(kResNetJson), deep = shallow;
  deep.resnet.stages.push_back({128, 1, 2});
  const Tensor s1 = init(build(shallow), "stem.conv.weight"), s2 = init(build(deep), "stem.conv.weight");
  EXPECT_EQ(std::memcmp(s1.raw(), s2.raw(), s1.nbytes()), 0);
}

TEST(ModelBuilder, NamesSayWhereTheyAre) {
  const std::regex initializer(
      R"(const\.[a-z0-9_]+|(stem|head|classifier|hidden[1-9][0-9]*|stage[1-9][0-9]*\.block[1-9][0-9]*)(\.[a-z0-9]+)*\.(weight|bias|scale|mean|var))");
  const std::regex node(R"((flatten|pool|(stem|head|classifier|hidden[1-9][0-9]*|stage[1-9][0-9]*\.block[1-9][0-9]*)(\.[a-z0-9]+)*))");
  for (const char* json : {kMlpJson, kMobileNetJson, kResNetJson}) {
    Model m = build(parse(json));
    for (const auto& [name, t] : m.graph.initializers) EXPECT_TRUE(std::regex_match(name, initializer)) << name;
    for (const Node& n : m.graph.nodes) EXPECT_TRUE(std::regex_match(n.name, node)) << n.name;
  }
  Model rn = build(parse(kResNetJson));
  for (const char* name : {"stage2.block1.conv1.weight", "stage2.block1.bn1.scale", "stage2.block1.bn2.var",
                           "stage2.block1.shortcut.conv.weight", "stage2.block1.shortcut.bn.bias", "classifier.weight"})
    EXPECT_NE(rn.graph.initializer(name), nullptr) << name;
  std::set<std::string> stem;  // what a 'stem.*' freeze pattern takes
  for (const auto& [name, t] : rn.graph.initializers)
    if (name.starts_with("stem.")) stem.insert(name);
  EXPECT_EQ(stem, (std::set<std::string>{"stem.conv.weight", "stem.bn.scale", "stem.bn.bias", "stem.bn.mean", "stem.bn.var"}));
  Model mb = build(parse(kMobileNetJson));
  for (const char* name : {"stage2.block1.expand.conv.weight", "stage2.block1.dw.bn.scale", "stage2.block2.project.conv.weight"})
    EXPECT_NE(mb.graph.initializer(name), nullptr) << name;
}

TEST(ModelBuilder, ConvIsBiaslessAndFollowedByInferenceBatchNorm) {
  Model m = build(parse(kResNetJson));
  int convs = 0;
  for (size_t i = 0; i < m.graph.nodes.size(); ++i) {
    const Node& conv = m.graph.nodes[i];
    if (conv.op_type != "Conv") continue;
    ++convs;
    EXPECT_EQ(conv.inputs.size(), 2u) << conv.name;
    const Node* bn = nullptr;
    for (const Node& n : m.graph.nodes)
      if (n.op_type == "BatchNormalization" && n.inputs[0] == conv.outputs[0]) bn = &n;
    ASSERT_NE(bn, nullptr) << conv.name;
    EXPECT_FLOAT_EQ(bn->attr_float("epsilon", 0), 1e-5f);
    EXPECT_FLOAT_EQ(bn->attr_float("momentum", 0), 0.9f);
    const float expected[4] = {1, 0, 0, 1};
    for (int k = 0; k < 4; ++k)
      for (float v : test::values_f32(init(m, bn->inputs[1 + k]))) ASSERT_EQ(v, expected[k]) << bn->inputs[1 + k];
  }
  EXPECT_EQ(convs, 1 + 8 + 1);
}

TEST(ModelBuilder, SpecJsonRoundTrips) {
  for (const char* json : {kMlpJson, kMobileNetJson, kResNetJson}) {
    ModelSpec s = parse(json);
    EXPECT_EQ(parse(model_spec_to_json(s)), s) << model_spec_to_json(s);
  }
  ModelSpec odd = parse(kMobileNetJson);  // every field off its default
  odd.seed = 18446744073709551557ull;
  odd.init = "xavier";
  odd.channels = 3;
  odd.mobilenetv2 = {0.35, 4, 8, 1, {{3, 12, 2, 1, 5, true}, {2, 20, 1, 2, 7, false}}, 96, "gelu"};
  EXPECT_EQ(parse(model_spec_to_json(odd)), odd) << model_spec_to_json(odd);
  ModelSpec mlp = parse(kMlpJson);
  mlp.mlp.dropout = 0.3;
  EXPECT_EQ(parse(model_spec_to_json(mlp)), mlp);
  for (const char* family : {"mlp", "mobilenetv2", "resnet"}) {  // the defaults, written out in full
    ModelSpec d;
    d.family = family;
    d.height = d.width = 224;
    EXPECT_EQ(parse(model_spec_to_json(d)), d) << family;
  }
  EXPECT_TRUE(looks_like_model_spec("data/specs/fashion_cnn.json"));
  EXPECT_FALSE(looks_like_model_spec("model.onnx"));
  EXPECT_FALSE(looks_like_model_spec(".json"));
}

TEST(ModelBuilder, BundledSpecsBuildAndTrainCheaply) {
  for (const char* file : {"fashion_mlp.json", "fashion_cnn.json"}) {
    auto spec = read_model_spec(test::source_dir() + "/data/specs/" + file);
    ASSERT_TRUE(spec.is_ok()) << spec.status().message();
    EXPECT_EQ(spec->channels * spec->height * spec->width, 784);
    check_and_run(*spec);
  }
  // One epoch of 60k images, forward and backward (~3x forward), stays far
  // below a minute at a few GFLOP/s if a forward pass is ~1M MACs.
  Model cnn = build(read_model_spec(test::source_dir() + "/data/specs/fashion_cnn.json").value());
  cnn.graph.inputs[0].type.dims[0] = Dim(1);
  cnn.graph.outputs[0].type.dims[0] = Dim(1);
  ASSERT_TRUE(infer_shapes(cnn).is_ok());
  ModelStats stats = compute_model_stats(cnn);
  EXPECT_TRUE(stats.cost_exact);
  EXPECT_LT(stats.macs, 1'500'000);
  EXPECT_GT(stats.macs, 300'000);
  auto missing = read_model_spec(test::source_dir() + "/data/specs/no_such_spec.json");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(ModelBuilder, ErrorsNameTheFieldAndWhatIsWrong) {
  const std::string mlp = R"({"family":"mlp","input":[1,28,28],"classes":10)";
  const std::string mb = R"({"family":"mobilenetv2","input":[1,28,28],"classes":10)";
  const std::string rn = R"({"family":"resnet","input":[1,28,28],"classes":10)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "spec.json: not valid JSON"},
      {"[1]", "(top level): expected a JSON object"},
      {R"({"input":[1,2,3],"classes":2})", "family: missing"},
      {R"({"family":"cnn","input":[1,2,3],"classes":2})", "family: unknown family 'cnn' (expected mlp, mobilenetv2 or resnet)"},
      {R"({"family":3})", "family: expected a string, got 3"},
      {mlp + R"(,"hiden":[4]})", "hiden: unknown key (an mlp spec takes family, input, classes, seed, init, hidden,"},
      {mlp + R"(,"stages":[]})", "stages: unknown key"},
      {rn + R"(,"stem":{"channels":8,"pool":true}})", "stem.pool: unknown key (a resnet stem takes channels, kernel,"},
      {mb + R"(,"stem":{"channels":8,"kernel":3}})", "stem.kernel: unknown key"},
      {mb + R"(,"stages":[{"c":16,"x":1}]})", "stages[0].x: unknown key (a stage takes t, c, n, s, k, se)"},
      {R"({"family":"mlp","classes":10})", "input: missing"},
      {R"({"family":"mlp","input":[1,28,28]})", "classes: missing"},
      {R"({"family":"mlp","input":[1,28],"classes":10})", "input: expected [C, H, W], got [1,28]"},
      {R"({"family":"mlp","input":"1x28x28","classes":10})", "input: expected an array"},
      {R"({"family":"mlp","input":[1,28.5,28],"classes":10})", "input[1]: expected an integer, got 28.5"},
      {R"({"family":"mlp","input":[1,28,28],"classes":"10"})", "classes: expected an integer, got \"10\""},
      {R"({"family":"mlp","input":[1,28,28],"classes":18446744073709551615})", "classes: integer too large"},
      {mlp + R"(,"hidden":[256,"a"]})", "hidden[1]: expected an integer"},
      {mlp + R"(,"dropout":"0.1"})", "dropout: expected a number"},
      {mlp + R"(,"seed":-1})", "seed: expected a non-negative integer, got -1"},
      {mlp + R"(,"activation":7})", "activation: expected a string"},
      {mb + R"(,"stages":[{"c":16,"se":1}]})", "stages[0].se: expected true or false, got 1"},
      {mb + R"(,"stem":[16]})", "stem: expected an object"},
      {mb + R"(,"stages":{"c":16}})", "stages: expected an array"},
      {mb + R"(,"stages":[16]})", "stages[0]: expected an object, got 16"},
      {mb + R"(,"stages":[{"t":6}]})", "stages[0].c: missing"},
      {R"({"family":"mlp","input":[0,28,28],"classes":10})", "input[0]: must be positive, got 0"},
      {R"({"family":"mlp","input":[1,28,28],"classes":0})", "classes: must be positive, got 0"},
      {mlp + R"(,"hidden":[64,0]})", "hidden[1]: must be positive, got 0"},
      {mb + R"(,"stages":[{"c":-3}]})", "stages[0].c: must be positive, got -3"},
      {mb + R"(,"stages":[{"c":8,"n":0}]})", "stages[0].n: must be positive, got 0"},
      {rn + R"(,"stem":{"channels":0}})", "stem.channels: must be positive, got 0"},
      {mb + R"(,"width":0})", "width: must be in (0, 8], got 0"},
      {mb + R"(,"stages":[{"c":8},{"c":16,"k":4}]})", "stages[1].k: kernel must be 3, 5 or 7, got 4"},
      {rn + R"(,"stem":{"kernel":1}})", "stem.kernel: kernel must be 3, 5 or 7, got 1"},
      {mb + R"(,"stages":[{"c":8,"s":5}]})", "stages[0].s: must be in 1..4, got 5"},
      {R"({"family":"mobilenetv2","input":[1,4,4],"classes":2,"stages":[{"c":8,"s":2},{"c":8,"s":2},{"c":8,"s":2}]})",
       "stages[1].s: stride 2 on a 1x1 feature map: the spatial size would reach zero"},
      {R"({"family":"resnet","input":[3,8,8],"classes":2})", "stages[2].s: stride 2 on a 1x1 feature map"},
      {R"({"family":"resnet","input":[3,1,8],"classes":2})", "stem.stride: stride 2 on a 1x8 feature map"},
      {mlp + R"(,"dropout":1.0})", "dropout: must be in [0, 1), got 1"},
      {mlp + R"(,"activation":"swish"})", "activation: unknown activation 'swish' (expected relu, relu6, gelu,"},
      {mlp + R"(,"init":"lecun"})", "init: unknown initialisation 'lecun' (expected he or xavier)"},
      {R"({"family":"mlp","input":[3,4096,4096],"classes":10,"hidden":[4096]})",
       "the mlp model would have 206158475274 parameters, more than the limit of 268435456"},
      {rn + R"(,"stages":[{"c":8,"n":2000}]})", "stages[0].n: must be in 1..1024, got 2000"},
      {rn + R"(,"stem":{"stride":1,"maxpool":false},"stages":[{"c":8,"n":600},{"c":8,"n":600}]})",
       "stages[1].n: more than 1024 blocks in all stages together"},
  };
  for (const auto& [json, expected] : cases) {
    const std::string got = error_of(json);
    EXPECT_NE(got.find(expected), std::string::npos) << json << "\n  got:      " << got << "\n  expected: " << expected;
    EXPECT_EQ(got.rfind("spec.json: ", 0), 0u) << got;
  }
  // The C++ structs get the same checks.
  ModelSpec bad;
  bad.family = "transformer";
  EXPECT_NE(build_model(bad).status().message().find("family: unknown family 'transformer'"), std::string::npos);
  ModelSpec kernel;
  kernel.family = "mobilenetv2";
  kernel.mobilenetv2.stages = {{6, 16, 1, 1, 9}};
  EXPECT_EQ(build_model(kernel).status().message(), "stages[0].k: kernel must be 3, 5 or 7, got 9");
  EXPECT_FALSE(count_parameters(kernel).is_ok());
}

}  // namespace
}  // namespace ew::train
