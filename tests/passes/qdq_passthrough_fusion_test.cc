#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/graph_rewrite.h"

namespace ew {
namespace {

// x -> Q -> DQ -> MaxPool -> Q(out_scale) -> DQ -> Reshape(DQ'd again) -> y
Model pool_model(float out_scale) {
  GraphBuilder b("qdq_pool", 13);
  const std::string x = b.input("x", DType::kFloat32, {1, 2, 6, 6});
  const std::string s = b.constant("s", test::make_f32({}, {0.1f}));
  const std::string s2 = b.constant("s2", test::make_f32({}, {out_scale}));
  const std::string z = b.constant("z", test::make<int8_t>({}, {3}));
  std::string v = b.node("DequantizeLinear", {b.node("QuantizeLinear", {x, s, z}), s, z});
  v = b.node("MaxPool", {v}, {{"kernel_shape", Attribute::make_ints({2, 2})}, {"strides", Attribute::make_ints({2, 2})}});
  v = b.node("DequantizeLinear", {b.node("QuantizeLinear", {v, s2, z}), s2, z});
  v = b.node("Reshape", {v, b.constant("shape", test::make_i64({2}, {1, 18}))});
  b.output(v, "y");
  return b.build().value();
}

std::vector<float> run(const Model& m, int level) {
  SessionOptions o;
  o.opt_level = level;
  auto s = Session::create(m, o);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  std::vector<float> x(72);
  for (int i = 0; i < 72; ++i) x[i] = 0.37f * static_cast<float>((i * 7) % 23) - 3.0f;
  auto out = (*s)->run({{"x", test::make_f32({1, 2, 6, 6}, x)}});
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return test::values_f32((*out)[0]);
}

TEST(QdqPassthroughFusion, MaxPoolRunsOnIntegers) {
  Model m = pool_model(0.1f);
  OptimizeReport r;
  Model opt = m;
  ASSERT_TRUE(optimize_model(opt, 2, &r).is_ok());
  EXPECT_EQ(test::rewrites_of(r, "qdq_passthrough_fusion"), 1);
  EXPECT_EQ(test::count_ops(opt, "QuantizeLinear"), 1);
  for (const Node& n : opt.graph.nodes)
    if (n.op_type == "MaxPool") EXPECT_EQ(value_dtype(opt.graph, n.inputs[0]), DType::kInt8);
  EXPECT_EQ(run(m, 0), run(m, 2));  // exact
}

TEST(QdqPassthroughFusion, DifferentScalesAreKept) {
  Model opt = pool_model(0.2f);
  OptimizeReport r;
  ASSERT_TRUE(optimize_model(opt, 2, &r).is_ok());
  EXPECT_EQ(test::rewrites_of(r, "qdq_passthrough_fusion"), 0);
  EXPECT_EQ(test::count_ops(opt, "QuantizeLinear"), 2);
}

}  // namespace
}  // namespace ew
