#include <gtest/gtest.h>

#include "ops/control/graph_builder.h"
#include "test_util.h"

namespace ew {
namespace {
using test::make_f32;
using test::make_graph;
using test::make_node;
using test::run_node;
using test::typed;
using test::values_f32;

// then: a float[2] constant, else: a float[3] constant.
std::map<std::string, Attribute> constant_branches() {
  auto then_g = make_graph("then", {}, {typed("a", DType::kFloat32, {2})}, {}, {{"a", make_f32({2}, {1, 2})}});
  auto else_g = make_graph("else", {}, {typed("b", DType::kFloat32, {3})}, {}, {{"b", make_f32({3}, {3, 4, 5})}});
  return {{"then_branch", Attribute::make_graph(then_g)}, {"else_branch", Attribute::make_graph(else_g)}};
}

TEST(If, PicksBranchByConditionAndShapesMayDiffer) {
  auto t = run_node("If", {test::make<bool>({}, {true})}, constant_branches());
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ((*t)[0].shape(), Shape{2});
  EXPECT_EQ(values_f32((*t)[0]), (std::vector<float>{1, 2}));
  auto f = run_node("If", {test::make<bool>({1}, {false})}, constant_branches());
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ((*f)[0].shape(), Shape{3});
  EXPECT_EQ(values_f32((*f)[0]), (std::vector<float>{3, 4, 5}));
}

TEST(If, BranchesReadOuterScopeValues) {
  auto then_g = make_graph("then", {}, {test::untyped("t")}, {make_node("Add", {"x", "x"}, {"t"})});
  auto else_g = make_graph("else", {}, {test::untyped("e")}, {make_node("Mul", {"x", "x"}, {"e"})});
  auto main = make_graph("main", {typed("c", DType::kBool, {}), typed("x", DType::kFloat32, {2})},
                         {test::untyped("y")},
                         {make_node("If", {"c"}, {"y"},
                                    {{"then_branch", Attribute::make_graph(then_g)},
                                     {"else_branch", Attribute::make_graph(else_g)}})});
  auto x = make_f32({2}, {3, -4});
  auto t = test::run_graph(*main, {{"c", test::make<bool>({}, {true})}, {"x", x}});
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_EQ(values_f32((*t)[0]), (std::vector<float>{6, -8}));
  auto e = test::run_graph(*main, {{"c", test::make<bool>({}, {false})}, {"x", x}});
  ASSERT_TRUE(e.is_ok()) << e.status().to_string();
  EXPECT_EQ(values_f32((*e)[0]), (std::vector<float>{9, 16}));
}

TEST(If, StaticShapeOnlyWhenBranchesAgree) {
  auto agree = make_graph("t", {}, {typed("a", DType::kFloat32, {Dim::symbolic("N"), 2})}, {});
  auto differ = make_graph("e", {}, {typed("b", DType::kFloat32, {3})}, {});
  for (bool same : {true, false}) {
    auto main = make_graph("main", {typed("c", DType::kBool, {})}, {test::untyped("y")},
                           {make_node("If", {"c"}, {"y"},
                                      {{"then_branch", Attribute::make_graph(agree)},
                                       {"else_branch", Attribute::make_graph(same ? agree : differ)}})});
    auto s = test::make_session(*main);
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    const ValueType& y = (*s)->outputs()[0].type;
    EXPECT_EQ(y.dtype, DType::kFloat32);
    EXPECT_EQ(y.has_shape, same);
    if (same) EXPECT_EQ(y.to_string(), "float32[N,2]");
  }
}

TEST(If, RejectsBadConditionAndMismatchedBranches) {
  auto two = run_node("If", {test::make<bool>({2}, {true, false})}, constant_branches());
  ASSERT_FALSE(two.is_ok());
  EXPECT_NE(two.status().message().find("exactly one element"), std::string::npos) << two.status().message();
  EXPECT_FALSE(run_node("If", {make_f32({}, {1})}, constant_branches()).is_ok());
  auto attrs = constant_branches();
  attrs["else_branch"] = Attribute::make_graph(make_graph("e", {}, {}, {}));
  auto bad = run_node("If", {test::make<bool>({}, {true})}, attrs);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("outputs"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(run_node("If", {test::make<bool>({}, {true})}, {}).is_ok());
}

}  // namespace
}  // namespace ew
