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
using test::untyped;
using test::values_f32;

Tensor boolean(bool v) { return test::make<bool>({}, {v}); }
Tensor trips(int64_t m) { return test::make_i64({}, {m}); }

// Body: v_out = v_in + [1, 1]; scans v_out and iter_num. cond_out is `cond_source`.
std::map<std::string, Attribute> counting_body(const std::string& cond_source = "cond_in") {
  auto body = make_graph(
      "body", {typed("i", DType::kInt64, {}), typed("cond_in", DType::kBool, {}), typed("v_in", DType::kFloat32, {2})},
      {untyped(cond_source), untyped("v_out"), typed("scan_v", DType::kFloat32, {2}), typed("i", DType::kInt64, {})},
      {make_node("Add", {"v_in", "one"}, {"v_out"}), make_node("Add", {"v_out", "zero"}, {"scan_v"})},
      {{"one", make_f32({2}, {1, 1})}, {"zero", make_f32({2}, {0, 0})}, {"stop", test::make<bool>({}, {false})}});
  return {{"body", Attribute::make_graph(body)}};
}

TEST(Loop, ForLoopRunsMTimesAndStacksScanOutputs) {
  auto out = run_node("Loop", {trips(3), Tensor(), make_f32({2}, {1, 2})}, counting_body(), 3);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{4, 5}));
  EXPECT_EQ((*out)[1].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{2, 3, 3, 4, 4, 5}));
  EXPECT_EQ((*out)[2].dtype(), DType::kInt64);
  EXPECT_EQ(test::values_i64((*out)[2]), (std::vector<int64_t>{0, 1, 2}));
}

TEST(Loop, BodyConditionIgnoredWithoutCondInput) {
  auto out = run_node("Loop", {trips(3), Tensor(), make_f32({2}, {0, 0})}, counting_body("stop"), 3);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 3}));
}

TEST(Loop, ConditionStopsTheLoop) {
  // M and cond: the body says stop after one iteration.
  auto both = run_node("Loop", {trips(5), boolean(true), make_f32({2}, {0, 0})}, counting_body("stop"), 3);
  ASSERT_TRUE(both.is_ok()) << both.status().to_string();
  EXPECT_EQ(values_f32((*both)[0]), (std::vector<float>{1, 1}));
  EXPECT_EQ((*both)[1].shape(), (Shape{1, 2}));
  // While loop (no M).
  auto w = run_node("Loop", {Tensor(), boolean(true), make_f32({2}, {0, 0})}, counting_body("stop"), 3);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  EXPECT_EQ(values_f32((*w)[0]), (std::vector<float>{1, 1}));
}

TEST(Loop, ZeroIterationsGiveEmptyScanOutputs) {
  for (auto inputs : {std::vector<Tensor>{trips(5), boolean(false), make_f32({2}, {7, 8})},
                      std::vector<Tensor>{trips(0), Tensor(), make_f32({2}, {7, 8})}}) {
    auto out = run_node("Loop", inputs, counting_body(), 3);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{7, 8}));
    EXPECT_EQ((*out)[1].shape(), (Shape{0, 2}));
    EXPECT_EQ((*out)[2].shape(), (Shape{0}));
  }
}

TEST(Loop, BodyReadsOuterScope) {
  auto body = make_graph("body", {typed("i", DType::kInt64, {}), typed("c", DType::kBool, {}), untyped("v")},
                         {untyped("c"), untyped("v2")}, {make_node("Mul", {"v", "x"}, {"v2"})});
  auto main = make_graph("main", {typed("x", DType::kFloat32, {2}), typed("v0", DType::kFloat32, {2})},
                         {untyped("y")},
                         {make_node("Loop", {"m", "", "v0"}, {"y"}, {{"body", Attribute::make_graph(body)}})},
                         {{"m", trips(3)}});
  auto out = test::run_graph(*main, {{"x", make_f32({2}, {2, -1})}, {"v0", make_f32({2}, {1, 1})}});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{8, -1}));
}

TEST(Loop, StaticInferenceLeavesTripCountUnknown) {
  auto attrs = counting_body();
  auto main = make_graph("main", {typed("m", DType::kInt64, {}), typed("v", DType::kFloat32, {2})},
                         {untyped("v_final"), untyped("scan"), untyped("iters")},
                         {make_node("Loop", {"m", "", "v"}, {"v_final", "scan", "iters"}, attrs)});
  auto s = test::make_session(*main);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ((*s)->outputs()[1].type.to_string(), "float32[?,2]");
  EXPECT_EQ((*s)->outputs()[2].type.to_string(), "int64[?]");
  EXPECT_EQ((*s)->outputs()[0].type.dtype, DType::kFloat32);
}

TEST(Loop, EndlessLoopFailsCleanlyAtTheScanLimit) {
  int64_t saved = max_tensor_bytes();
  set_max_tensor_bytes(1 << 16);
  auto out = run_node("Loop", {Tensor(), boolean(true), make_f32({2}, {0, 0})}, counting_body(), 3);
  set_max_tensor_bytes(saved);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kResourceExhausted) << out.status().to_string();
}

TEST(Loop, RejectsMalformedBodiesAndInputs) {
  auto attrs = counting_body();
  // Too few outputs for the body's scan outputs: body declares 4, node gives N=1 + K=1.
  EXPECT_FALSE(run_node("Loop", {trips(2), Tensor(), make_f32({2}, {0, 0})}, attrs, 2).is_ok());
  // Two loop-carried inputs but the body takes one.
  EXPECT_FALSE(run_node("Loop", {trips(2), Tensor(), make_f32({2}, {0, 0}), make_f32({2}, {0, 0})}, attrs, 4).is_ok());
  // M must be one element.
  auto m = run_node("Loop", {test::make_i64({2}, {1, 2}), Tensor(), make_f32({2}, {0, 0})}, attrs, 3);
  ASSERT_FALSE(m.is_ok());
  EXPECT_NE(m.status().message().find("M must"), std::string::npos) << m.status().message();
  EXPECT_FALSE(run_node("Loop", {trips(1), Tensor(), make_f32({2}, {0, 0})}, {}, 3).is_ok());
}

}  // namespace
}  // namespace ew
