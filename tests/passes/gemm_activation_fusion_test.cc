#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

TEST(GemmActivationFusion, GemmTanhBecomesFusedGemm) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(2)});
  std::string w = b.constant("w", test::make_f32({2, 2}, {1, 2, 3, 4}));
  b.output(b.node("Tanh", {b.node("Gemm", {x, w}, {{"alpha", Attribute::make_float(0.1f)}})}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  Model original = *m;
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kGemmActivationFusion.run(*m), 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  const Node& f = m->graph.nodes[0];
  EXPECT_EQ(f.op_type, "FusedGemm");
  EXPECT_EQ(f.attr_string("activation", ""), "Tanh");
  EXPECT_FLOAT_EQ(f.attr_float("alpha", 1), 0.1f);
  SessionOptions o;
  o.opt_level = 0;
  Tensor in = test::make_f32({1, 2}, {1, -2});
  auto a = (*Session::create(original, o))->run({{"x", in}});
  auto y = (*Session::create(*m, o))->run({{"x", in}});
  ASSERT_TRUE(a.is_ok() && y.is_ok()) << y.status().to_string();
  Comparison c = compare_tensors((*y)[0], (*a)[0], {1e-6, 1e-6});
  EXPECT_TRUE(c.match) << c.message;
}

TEST(GemmActivationFusion, ClipIsNotFused) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(2)});
  std::string w = b.constant("w", test::make_f32({2, 2}, {1, 2, 3, 4}));
  b.output(b.node("Clip", {b.node("Gemm", {x, w})}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kGemmActivationFusion.run(*m), 0);
}

}  // namespace
}  // namespace ew
