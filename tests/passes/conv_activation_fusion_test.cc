#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

TEST(ConvActivationFusion, ConvReluBecomesFusedConv) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(1), Dim(2), Dim(2)});
  std::string w = b.constant("w", test::make_f32({1, 1, 1, 1}, {-2}));
  b.output(b.node("LeakyRelu", {b.node("Conv", {x, w})}, {{"alpha", Attribute::make_float(0.5f)}}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kConvActivationFusion.run(*m), 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  const Node& f = m->graph.nodes[0];
  EXPECT_EQ(f.domain, "com.microsoft");
  EXPECT_EQ(f.op_type, "FusedConv");
  EXPECT_EQ(f.attr_string("activation", ""), "LeakyRelu");
  EXPECT_EQ(f.attr_floats("activation_params"), std::vector<float>{0.5f});
  EXPECT_EQ(m->opset("com.microsoft"), 1);
  SessionOptions o;
  o.opt_level = 0;
  auto y = (*Session::create(*m, o))->run({{"x", test::make_f32({1, 1, 2, 2}, {1, -1, 2, 0})}});
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  EXPECT_EQ(test::values_f32((*y)[0]), (std::vector<float>{-1, 2, -2, 0}));
}

TEST(ConvActivationFusion, HardSwishIsNotFused) {
  GraphBuilder b("g", 14);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(1), Dim(2), Dim(2)});
  std::string w = b.constant("w", test::make_f32({1, 1, 1, 1}, {-2}));
  b.output(b.node("HardSwish", {b.node("Conv", {x, w})}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kConvActivationFusion.run(*m), 0);
}

TEST(ConvActivationFusion, ResNetResidualAddsAndRelusFold) {
  EW_REQUIRE_SHARED_MODELS();
  OptimizeReport r;
  Model m = test::optimized_shared("resnet18_random", 2, &r);
  // 17 convs take a Relu (8 of them also the residual sum Z); the 3 downsample
  // 1x1 convs feed a residual Add as its Z and stay plain Conv.
  EXPECT_EQ(test::count_ops(m, "com.microsoft::FusedConv"), 17);
  EXPECT_EQ(test::count_ops(m, "Conv"), 3);
  EXPECT_EQ(test::count_ops(m, "Relu"), 0);
  EXPECT_EQ(test::count_ops(m, "Add"), 0);
  int with_z = 0;
  for (const auto& n : m.graph.nodes) with_z += n.inputs.size() == 4 ? 1 : 0;
  EXPECT_EQ(with_z, 8);
  EXPECT_EQ(r.nodes_before, 49u);
  EXPECT_EQ(r.nodes_after, 24u);
  test::expect_same_outputs("resnet18_random", m);
}

TEST(ConvActivationFusion, MobileNetClipsFold) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = test::optimized_shared("mobilenet_v2_random", 2);
  EXPECT_EQ(test::count_ops(m, "Clip"), 0);
  int clip = 0;
  for (const auto& n : m.graph.nodes) clip += n.attr_string("activation", "") == "Clip" ? 1 : 0;
  EXPECT_EQ(clip, 35);
  test::expect_same_outputs("mobilenet_v2_random", m);
}

TEST(ConvActivationFusion, OtherConvNetsKeepTheirOutputs) {
  EW_REQUIRE_SHARED_MODELS();
  for (const char* name : {"squeezenet1_1_random", "super_resolution_10", "fashion_mbnet"}) {
    Model m = test::optimized_shared(name, 2);
    EXPECT_EQ(test::count_ops(m, "Relu"), 0) << name;
    EXPECT_GT(test::count_ops(m, "com.microsoft::FusedConv"), 0) << name;
    test::expect_same_outputs(name, m);
  }
}

}  // namespace
}  // namespace ew
