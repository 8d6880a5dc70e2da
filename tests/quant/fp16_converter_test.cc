#include "quant/fp16_converter.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ir/graph_builder.h"
#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "runtime/session.h"
#include "test_util.h"

namespace ew::quant {
namespace {

// x[1,32] -> MatMul(W1[32,32]) -> MatMul(W2[32,32], node "keep") -> Add(b[32]); b2 tiny.
Model two_matmuls(float big = 1.0f) {
  GraphBuilder g("m");
  std::string x = g.input("x", DType::kFloat32, {1, 32});
  std::vector<float> w(32 * 32);
  for (size_t i = 0; i < w.size(); ++i) w[i] = std::sin(static_cast<float>(i)) * 0.1f;
  w[5] = big;
  std::string w1 = g.constant("w1", test::make_f32({32, 32}, w));
  std::string w2 = g.constant("w2", test::make_f32({32, 32}, w));
  std::string b = g.constant("b", test::make_f32({32}, std::vector<float>(32, 0.25f)));
  std::string tiny = g.constant("tiny", test::make_f32({4}, {1, 2, 3, 4}));
  std::string h = g.node("MatMul", {x, w1}, {}, "first");
  std::string k = g.node("MatMul", {h, w2}, {}, "keep");
  std::string y = g.node("Add", {k, b}, {}, "bias");
  std::string z = g.node("Mul", {g.node("Reshape", {y, g.constant("shape", test::make_i64({2}, {8, 4}))}), tiny});
  g.output(z, "y");
  auto m = g.build();
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return std::move(m).value();
}

TEST(Fp16ConverterTest, ConvertsLargeFloatWeightsAndSkipsExcludedNodes) {
  Model m = two_matmuls();
  const std::string w2 = m.graph.nodes[1].inputs[1];
  Fp16Report r;
  auto n = convert_weights_to_fp16(m, {"keep"}, &r);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_EQ(*n, 2);  // w1 and b; w2 is read by the excluded node, tiny is too small
  EXPECT_EQ(r.converted, 2);
  EXPECT_EQ(r.bytes_before, 32 * 32 * 4 + 32 * 4);
  EXPECT_EQ(r.bytes_after, r.bytes_before / 2);
  EXPECT_EQ(m.graph.initializers.at(w2).dtype(), DType::kFloat32);
  int casts = 0;
  for (const Node& node : m.graph.nodes) {
    if (node.op_type != "Cast") continue;
    ++casts;
    EXPECT_EQ(node.name, node.outputs[0] + "_fp16_cast");
    EXPECT_EQ(m.graph.initializers.at(node.inputs[0]).dtype(), DType::kFloat16);
    EXPECT_EQ(node.attr_int("to", 0), 1);
  }
  EXPECT_EQ(casts, 2);
  for (const Node& node : m.graph.nodes)
    if (node.name == "keep") EXPECT_EQ(node.inputs[1], w2);
}

TEST(Fp16ConverterTest, ClampsOutOfRangeValuesAndRunsClose) {
  Model ref = two_matmuls(1e6f);
  Model m = ref;
  Fp16Report r;
  ASSERT_TRUE(convert_weights_to_fp16(m, {}, &r).is_ok());
  EXPECT_EQ(r.converted, 3);
  EXPECT_EQ(r.clamped, 2);  // w1[5] and w2[5]
  EXPECT_EQ(r.clamped_tensors.size(), 2u);
  // Without the big value the converted model runs within fp16 rounding, at every opt level.
  Model small = two_matmuls();
  Model half = small;
  ASSERT_TRUE(convert_weights_to_fp16(half, {}).is_ok());
  auto x = test::make_f32({1, 32}, std::vector<float>(32, 0.5f));
  auto a = Session::create(small);
  ASSERT_TRUE(a.is_ok());
  auto want = (*a)->run({{"x", x}});
  ASSERT_TRUE(want.is_ok());
  for (int level : {0, 1, 2}) {
    SessionOptions so;
    so.opt_level = level;
    auto b = Session::create(half, so);
    ASSERT_TRUE(b.is_ok()) << b.status().to_string();
    auto got = (*b)->run({{"x", x}});
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    auto u = test::values_f32((*want)[0]), v = test::values_f32((*got)[0]);
    for (size_t i = 0; i < u.size(); ++i) EXPECT_NEAR(u[i], v[i], 1e-2) << i;
  }
}

TEST(Fp16ConverterTest, FashionMbnetHalvesAndMatchesFp32) {
  EW_REQUIRE_SHARED_MODELS();
  std::string dir = test::shared_models_dir() + "/fashion_mbnet";
  auto m = load_onnx(dir + "/model.onnx");
  ASSERT_TRUE(m.is_ok());
  Model half = *m;
  Fp16Report r;
  auto n = convert_weights_to_fp16(half, {}, &r);
  ASSERT_TRUE(n.is_ok()) << n.status().to_string();
  EXPECT_GT(*n, 10);
  auto before = serialize_onnx(*m), after = serialize_onnx(half);
  ASSERT_TRUE(before.is_ok() && after.is_ok());
  EXPECT_LT(static_cast<double>(after->size()), 0.56 * static_cast<double>(before->size()));
  // Round trip through the file format, then run: Casts fold at load (opt level 2).
  auto reloaded = parse_onnx(*after);
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
  auto a = Session::create(*m);
  auto b = Session::create(*reloaded);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  int casts = 0;
  for (const Node& node : (*b)->model().graph.nodes) casts += node.op_type == "Cast" ? 1 : 0;
  EXPECT_EQ(casts, 0) << "Casts of constant fp16 weights fold at load";
  auto x = Tensor::create(DType::kFloat32, {2, 1, 28, 28});
  ASSERT_TRUE(x.is_ok());
  for (int64_t i = 0; i < x->numel(); ++i) x->data<float>()[i] = static_cast<float>((i * 37) % 255) / 255.0f;
  auto want = (*a)->run({{"input", *x}});
  auto got = (*b)->run({{"input", *x}});
  ASSERT_TRUE(want.is_ok() && got.is_ok());
  auto u = test::values_f32((*want)[0]), v = test::values_f32((*got)[0]);
  ASSERT_EQ(u.size(), v.size());
  for (size_t i = 0; i < u.size(); ++i) EXPECT_NEAR(u[i], v[i], 1e-2) << i;
}

}  // namespace
}  // namespace ew::quant
