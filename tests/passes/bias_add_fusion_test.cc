#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

std::vector<Tensor> run_model(const Model& m, const std::map<std::string, Tensor>& in) {
  SessionOptions o;
  o.opt_level = 0;
  auto s = Session::create(m, o);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  auto y = (*s)->run(in);
  EXPECT_TRUE(y.is_ok()) << y.status().to_string();
  return *y;
}

TEST(BiasAddFusion, ConvChannelAddBecomesBias) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(1), Dim(2), Dim(2)});
  std::string w = b.constant("w", test::make_f32({2, 1, 1, 1}, {2, -1}));
  std::string c = b.constant("c", test::make_f32({1, 2, 1, 1}, {0.5f, -3}));
  b.output(b.node("Add", {b.node("Conv", {x, w}), c}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  Model original = *m;
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kBiasAddFusion.run(*m), 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].inputs.size(), 3u);
  Tensor in = test::make_f32({1, 1, 2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(test::values_f32(run_model(*m, {{"x", in}})[0]), test::values_f32(run_model(original, {{"x", in}})[0]));
}

TEST(BiasAddFusion, GemmRowAddBecomesC) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(2), Dim(2)});
  std::string w = b.constant("w", test::make_f32({2, 3}, {1, 2, 3, 4, 5, 6}));
  std::string c = b.constant("c", test::make_f32({3}, {1, -1, 2}));
  b.output(b.node("Add", {c, b.node("Gemm", {x, w})}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  Model original = *m;
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kBiasAddFusion.run(*m), 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].op_type, "Gemm");
  Tensor in = test::make_f32({2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(test::values_f32(run_model(*m, {{"x", in}})[0]), test::values_f32(run_model(original, {{"x", in}})[0]));
}

TEST(BiasAddFusion, FullSizeAddStays) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(1), Dim(1), Dim(2), Dim(2)});
  std::string w = b.constant("w", test::make_f32({1, 1, 1, 1}, {2}));
  std::string c = b.constant("c", test::make_f32({1, 1, 2, 2}, {1, 2, 3, 4}));
  b.output(b.node("Add", {b.node("Conv", {x, w}), c}));
  auto m = b.build();
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kBiasAddFusion.run(*m), 0);
}

}  // namespace
}  // namespace ew
