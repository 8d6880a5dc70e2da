#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

Result<Model> matmul_add(std::vector<Dim> a_dims) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, std::move(a_dims));
  std::string w = b.constant("w", test::make_f32({2, 3}, {1, 2, 3, 4, 5, 6}));
  std::string c = b.constant("c", test::make_f32({3}, {1, -1, 2}));
  b.output(b.node("Add", {b.node("MatMul", {x, w}), c}));
  return b.build();
}

TEST(MatMulAddFusion, TwoDimensionalBecomesGemm) {
  auto m = matmul_add({Dim::symbolic("N"), Dim(2)});
  ASSERT_TRUE(m.is_ok());
  Model original = *m;
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kMatMulAddFusion.run(*m), 1);
  ASSERT_EQ(m->graph.nodes.size(), 1u);
  EXPECT_EQ(m->graph.nodes[0].op_type, "Gemm");
  SessionOptions o;
  o.opt_level = 0;
  Tensor in = test::make_f32({2, 2}, {1, 2, 3, -4});
  auto a = (*Session::create(original, o))->run({{"x", in}});
  auto f = (*Session::create(*m, o))->run({{"x", in}});
  ASSERT_TRUE(a.is_ok() && f.is_ok());
  EXPECT_EQ(test::values_f32((*f)[0]), test::values_f32((*a)[0]));
}

TEST(MatMulAddFusion, ThreeDimensionalStaysMatMul) {
  auto m = matmul_add({Dim(1), Dim(4), Dim(2)});
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(infer_shapes(*m).is_ok());
  EXPECT_EQ(*kMatMulAddFusion.run(*m), 0);
}

}  // namespace
}  // namespace ew
