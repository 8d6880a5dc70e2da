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

// Running sum: state s (float[2]), scan input x (float[2] per step); outputs s' and s' per step.
std::map<std::string, Attribute> running_sum(std::map<std::string, Attribute> extra = {}) {
  auto body = make_graph("body", {typed("s", DType::kFloat32, {2}), typed("x", DType::kFloat32, {2})},
                         {untyped("s2"), typed("y", DType::kFloat32, {2})},
                         {make_node("Add", {"s", "x"}, {"s2"}), make_node("Add", {"s2", "zero"}, {"y"})},
                         {{"zero", make_f32({2}, {0, 0})}});
  extra["body"] = Attribute::make_graph(body);
  extra["num_scan_inputs"] = Attribute::make_int(1);
  return extra;
}

const Tensor kRows = make_f32({3, 2}, {1, 2, 3, 4, 5, 6});

TEST(Scan, RunningSumAlongAxis0) {
  auto out = run_node("Scan", {make_f32({2}, {0, 0}), kRows}, running_sum(), 2, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{9, 12}));
  EXPECT_EQ((*out)[1].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{1, 2, 4, 6, 9, 12}));
}

TEST(Scan, InputAndOutputDirections) {
  auto rev_in = run_node("Scan", {make_f32({2}, {0, 0}), kRows},
                         running_sum({{"scan_input_directions", Attribute::make_ints({1})}}), 2, 9);
  ASSERT_TRUE(rev_in.is_ok()) << rev_in.status().to_string();
  EXPECT_EQ(values_f32((*rev_in)[1]), (std::vector<float>{5, 6, 8, 10, 9, 12}));
  auto rev_out = run_node("Scan", {make_f32({2}, {0, 0}), kRows},
                          running_sum({{"scan_output_directions", Attribute::make_ints({1})}}), 2, 16);
  ASSERT_TRUE(rev_out.is_ok()) << rev_out.status().to_string();
  EXPECT_EQ(values_f32((*rev_out)[1]), (std::vector<float>{9, 12, 4, 6, 1, 2}));
}

TEST(Scan, InputAndOutputAxes) {
  auto cols = make_f32({2, 3}, {1, 3, 5, 2, 4, 6});  // column t is row t of kRows
  auto out = run_node("Scan", {make_f32({2}, {0, 0}), cols},
                      running_sum({{"scan_input_axes", Attribute::make_ints({-1})},
                                   {"scan_output_axes", Attribute::make_ints({1})}}),
                      2, 11);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{9, 12}));
  EXPECT_EQ((*out)[1].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{1, 4, 9, 2, 6, 12}));
}

TEST(Scan, Opset8BatchesWithSequenceLengths) {
  auto init = make_f32({2, 2}, {0, 0, 10, 10});
  auto x = make_f32({2, 3, 2}, {1, 1, 2, 2, 3, 3, 1, 2, 3, 4, 5, 6});
  auto lens = test::make<int32_t>({2}, {2, 3});
  auto out = run_node("Scan", {lens, init, x}, running_sum(), 2, 8);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{3, 3, 19, 22}));
  EXPECT_EQ((*out)[1].shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{1, 1, 3, 3, 0, 0, 11, 12, 14, 16, 19, 22}));
  // Without sequence_lens, and scanning in reverse.
  auto rev = run_node("Scan", {Tensor(), init, x}, running_sum({{"directions", Attribute::make_ints({1})}}), 2, 8);
  ASSERT_TRUE(rev.is_ok()) << rev.status().to_string();
  EXPECT_EQ(values_f32((*rev)[0]), (std::vector<float>{6, 6, 19, 22}));
  EXPECT_EQ(values_f32((*rev)[1]), (std::vector<float>{3, 3, 5, 5, 6, 6, 15, 16, 18, 20, 19, 22}));
}

TEST(Scan, StaticInferencePlacesTheSequenceAxis) {
  auto attrs = running_sum({{"scan_output_axes", Attribute::make_ints({-1})}});
  auto main = make_graph("main", {typed("s", DType::kFloat32, {2}), typed("x", DType::kFloat32, {Dim::symbolic("T"), 2})},
                         {untyped("s_final"), untyped("ys")},
                         {make_node("Scan", {"s", "x"}, {"s_final", "ys"}, attrs)});
  auto s = test::make_session(*main, 11);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ((*s)->outputs()[0].type.to_string(), "float32[2]");
  EXPECT_EQ((*s)->outputs()[1].type.to_string(), "float32[2,T]");
}

TEST(Scan, RejectsBadAttributesAndLengths) {
  auto no_count = running_sum();
  no_count.erase("num_scan_inputs");
  EXPECT_FALSE(run_node("Scan", {make_f32({2}, {0, 0}), kRows}, no_count, 2, 11).is_ok());
  auto axis = run_node("Scan", {make_f32({2}, {0, 0}), kRows},
                       running_sum({{"scan_input_axes", Attribute::make_ints({2})}}), 2, 11);
  ASSERT_FALSE(axis.is_ok());
  EXPECT_NE(axis.status().message().find("axis"), std::string::npos) << axis.status().message();
  EXPECT_FALSE(run_node("Scan", {make_f32({2}, {0, 0}), kRows},
                        running_sum({{"scan_input_directions", Attribute::make_ints({2})}}), 2, 11).is_ok());
  auto lens = test::make<int32_t>({2}, {4, 1});
  auto bad_len = run_node("Scan", {lens, make_f32({2, 2}, {0, 0, 0, 0}), make_f32({2, 3, 2}, std::vector<float>(12, 1))},
                          running_sum(), 2, 8);
  ASSERT_FALSE(bad_len.is_ok());
  EXPECT_NE(bad_len.status().message().find("sequence_lens"), std::string::npos) << bad_len.status().message();
}

}  // namespace
}  // namespace ew
