#include <gtest/gtest.h>

#include "ir/graph_builder.h"
#include "pass_test_util.h"
#include "passes/pass_list.h"

namespace ew {
namespace {

// x * 0.5 * (1 + erf(x / sqrt2)) in the three orders exporters use.
Result<Model> gelu_model(int form) {
  GraphBuilder b("g", 13);
  std::string x = b.input("x", DType::kFloat32, {Dim(4)});
  auto c = [&](float v) { return b.constant("c", test::make_f32({}, {v})); };
  std::string e = b.node("Erf", {b.node("Div", {x, c(1.4142135f)})});
  std::string a = b.node("Add", {e, c(1)});
  std::string y;
  if (form == 0) y = b.node("Mul", {b.node("Mul", {x, a}), c(0.5f)});
  if (form == 1) y = b.node("Mul", {b.node("Mul", {x, c(0.5f)}), a});
  if (form == 2) y = b.node("Mul", {x, b.node("Mul", {a, c(0.5f)})});
  b.output(y);
  return b.build();
}

TEST(GeluFusion, AllThreeFormsBecomeMicrosoftGelu) {
  for (int form = 0; form < 3; ++form) {
    auto m = gelu_model(form);
    ASSERT_TRUE(m.is_ok());
    Model original = *m;
    ASSERT_TRUE(infer_shapes(*m).is_ok());
    EXPECT_EQ(*kGeluFusion.run(*m), 1) << form;
    ASSERT_EQ(m->graph.nodes.size(), 1u);
    EXPECT_EQ(m->graph.nodes[0].op_type, "Gelu");
    EXPECT_EQ(m->graph.nodes[0].domain, "com.microsoft");
    SessionOptions o;
    o.opt_level = 0;
    Tensor in = test::make_f32({4}, {-2, -0.5f, 0.25f, 3});
    auto a = (*Session::create(original, o))->run({{"x", in}});
    auto y = (*Session::create(*m, o))->run({{"x", in}});
    ASSERT_TRUE(a.is_ok() && y.is_ok());
    Comparison cmp = compare_tensors((*y)[0], (*a)[0], {1e-6, 1e-6});
    EXPECT_TRUE(cmp.match) << cmp.message;
  }
}

TEST(GeluFusion, TinyBertGelus) {
  EW_REQUIRE_SHARED_MODELS();
  for (const char* name : {"tiny_bert_op14_random", "tiny_bert_op17_random"}) {
    Model m = test::optimized_shared(name, 2);
    EXPECT_EQ(test::count_ops(m, "com.microsoft::Gelu"), 2) << name;
    EXPECT_EQ(test::count_ops(m, "Erf"), 0) << name;
    test::expect_same_outputs(name, m);
  }
}

}  // namespace
}  // namespace ew
