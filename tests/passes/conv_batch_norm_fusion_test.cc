#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

Result<Model> conv_bn_model() {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(1), Dim(3), Dim(3)});
  std::string w = b.constant("w", test::make_f32({2, 1, 1, 1}, {2, -1}));
  std::string bias = b.constant("b", test::make_f32({2}, {0.5f, 1}));
  std::string conv = b.node("Conv", {x, w, bias});
  std::string s = b.constant("scale", test::make_f32({2}, {1, 3}));
  std::string sh = b.constant("shift", test::make_f32({2}, {0, -2}));
  std::string mean = b.constant("mean", test::make_f32({2}, {1, 0.25f}));
  std::string var = b.constant("var", test::make_f32({2}, {4, 0.5f}));
  b.output(b.node("BatchNormalization", {conv, s, sh, mean, var}, {{"epsilon", Attribute::make_float(1e-3f)}}));
  return b.build();
}

TEST(ConvBatchNormFusion, FoldsIntoConvWithSameOutputs) {
  auto m = conv_bn_model();
  ASSERT_TRUE(m.is_ok());
  Model original = *m;
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kConvBatchNormFusion.run(*m), 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].op_type, "Conv");
  EXPECT_EQ(m->graph.nodes[0].outputs[0], m->graph.outputs[0].name);
  Tensor x = test::make_f32({1, 1, 3, 3}, {1, -2, 3, 4, 5, -6, 7, 8, 9});
  SessionOptions o;
  o.opt_level = 0;
  auto a = Session::create(original, o);
  auto f = Session::create(*m, o);
  ASSERT_TRUE(a.is_ok() && f.is_ok());
  auto ya = (*a)->run({{"x", x}});
  auto yf = (*f)->run({{"x", x}});
  ASSERT_TRUE(ya.is_ok() && yf.is_ok());
  Comparison c = compare_tensors((*yf)[0], (*ya)[0], {1e-5, 1e-5});
  EXPECT_TRUE(c.match) << c.message;
}

TEST(ConvBatchNormFusion, ConvReadElsewhereStays) {
  auto m = conv_bn_model();
  ASSERT_TRUE(m.is_ok());
  m->graph.outputs.push_back({m->graph.nodes[0].outputs[0], {}});
  EXPECT_EQ(*kConvBatchNormFusion.run(*m), 0);
}

}  // namespace
}  // namespace ew
