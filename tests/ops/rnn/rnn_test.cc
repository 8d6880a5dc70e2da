#include <gtest/gtest.h>

#include "runtime/session.h"
#include "test_util.h"

namespace ew {
namespace {
using test::make_f32;
using test::run_node;
using test::values_f32;

Attribute acts(std::vector<std::string> names) {
  Attribute a;
  a.kind = Attribute::Kind::kStrings;
  a.strings = std::move(names);
  return a;
}

// One hidden unit, one input, Relu: h_t = relu(0.5 x_t + r h_{t-1}).
std::map<std::string, Attribute> relu_attrs(const std::string& direction = "forward") {
  return {{"hidden_size", Attribute::make_int(1)},
          {"direction", Attribute::make_string(direction)},
          {"activations", acts(direction == "bidirectional" ? std::vector<std::string>{"Relu", "Relu"}
                                                            : std::vector<std::string>{"Relu"})}};
}

const Tensor kX = make_f32({2, 1, 1}, {1, 2});
const Tensor kW = make_f32({1, 1, 1}, {0.5f});
const Tensor kR = make_f32({1, 1, 1}, {1});

TEST(RNN, ForwardAndReverse) {
  auto fwd = run_node("RNN", {kX, kW, kR}, relu_attrs(), 2);
  ASSERT_TRUE(fwd.is_ok()) << fwd.status().to_string();
  EXPECT_EQ((*fwd)[0].shape(), (Shape{2, 1, 1, 1}));
  EXPECT_EQ(values_f32((*fwd)[0]), (std::vector<float>{0.5f, 1.5f}));
  EXPECT_EQ(values_f32((*fwd)[1]), (std::vector<float>{1.5f}));
  auto rev = run_node("RNN", {kX, kW, kR}, relu_attrs("reverse"), 2);
  ASSERT_TRUE(rev.is_ok()) << rev.status().to_string();
  EXPECT_EQ(values_f32((*rev)[0]), (std::vector<float>{1.5f, 1.0f}));
  EXPECT_EQ(values_f32((*rev)[1]), (std::vector<float>{1.5f}));
}

TEST(RNN, BidirectionalWithBiasAndInitialState) {
  auto w = make_f32({2, 1, 1}, {0.5f, 0.5f});
  auto r = make_f32({2, 1, 1}, {1, 1});
  auto b = make_f32({2, 2}, {0.25f, 0.25f, 0, 0});  // forward gets +0.5
  auto h0 = make_f32({2, 1, 1}, {0, 1});             // reverse starts at 1
  auto out = run_node("RNN", {kX, w, r, b, Tensor(), h0}, relu_attrs("bidirectional"), 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2, 1, 1}));
  // forward: 1.0, 1 + 1 + 0.5 = 2.5; reverse: t1: 1 + 1 = 2, t0: 0.5 + 2 = 2.5
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{1.0f, 2.5f, 2.5f, 2.0f}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{2.5f, 2.5f}));
}

TEST(RNN, DefaultTanhAndClip) {
  std::map<std::string, Attribute> attrs{{"hidden_size", Attribute::make_int(1)}};
  auto out = run_node("RNN", {make_f32({1, 1, 1}, {1}), kW, kR}, attrs, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_NEAR(values_f32((*out)[1])[0], 0.46211716f, 1e-6);
  auto clip = relu_attrs();
  clip["clip"] = Attribute::make_float(1.0f);
  auto clipped = run_node("RNN", {make_f32({2, 1, 1}, {4, 2}), make_f32({1, 1, 1}, {1}), kR}, clip, 2);
  ASSERT_TRUE(clipped.is_ok()) << clipped.status().to_string();
  EXPECT_EQ(values_f32((*clipped)[0]), (std::vector<float>{1, 1}));
}

TEST(RNN, ActivationAlphaBeta) {
  auto attrs = relu_attrs();
  attrs["activations"] = acts({"LeakyRelu"});
  attrs["activation_alpha"] = Attribute::make_floats({0.5f});
  auto leaky = run_node("RNN", {make_f32({1, 1, 1}, {-4}), kW, kR}, attrs, 2);
  ASSERT_TRUE(leaky.is_ok()) << leaky.status().to_string();
  EXPECT_EQ(values_f32((*leaky)[1]), (std::vector<float>{-1}));
  attrs["activations"] = acts({"Affine"});
  attrs["activation_alpha"] = Attribute::make_floats({2});
  attrs["activation_beta"] = Attribute::make_floats({1});
  auto affine = run_node("RNN", {make_f32({1, 1, 1}, {4}), kW, kR}, attrs, 2);
  ASSERT_TRUE(affine.is_ok()) << affine.status().to_string();
  EXPECT_EQ(values_f32((*affine)[1]), (std::vector<float>{5}));  // 2 * 2 + 1
}

TEST(RNN, SequenceLengthsAndLayout) {
  // batch 2: entry 0 has length 1. X layout 0 is [seq, batch, input].
  auto x = make_f32({2, 2, 1}, {1, 3, 2, 4});
  auto lens = test::make<int32_t>({2}, {1, 2});
  auto out = run_node("RNN", {x, kW, kR, Tensor(), lens}, relu_attrs(), 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_f32((*out)[0]), (std::vector<float>{0.5f, 1.5f, 0, 3.5f}));
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{0.5f, 3.5f}));
  // layout 1 (opset 14): X is [batch, seq, input], Y [batch, seq, dirs, H], Y_h [batch, dirs, H].
  auto attrs = relu_attrs();
  attrs["layout"] = Attribute::make_int(1);
  auto xb = make_f32({2, 2, 1}, {1, 2, 3, 4});
  auto l1 = run_node("RNN", {xb, kW, kR}, attrs, 2, 14);
  ASSERT_TRUE(l1.is_ok()) << l1.status().to_string();
  EXPECT_EQ((*l1)[0].shape(), (Shape{2, 2, 1, 1}));
  EXPECT_EQ(values_f32((*l1)[0]), (std::vector<float>{0.5f, 1.5f, 1.5f, 3.5f}));
  EXPECT_EQ(values_f32((*l1)[1]), (std::vector<float>{1.5f, 3.5f}));
}

TEST(RNN, Float64) {
  auto out = run_node("RNN", {test::make<double>({2, 1, 1}, {1, 2}), test::make<double>({1, 1, 1}, {0.5}),
                              test::make<double>({1, 1, 1}, {1})},
                      relu_attrs(), 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[1].dtype(), DType::kFloat64);
  EXPECT_EQ(values_f32((*out)[1]), (std::vector<float>{1.5f}));
}

TEST(RNN, RejectsBadShapesAndAttributes) {
  auto w = run_node("RNN", {kX, make_f32({1, 2, 1}, {1, 1}), kR}, relu_attrs(), 2);
  ASSERT_FALSE(w.is_ok());
  EXPECT_NE(w.status().message().find("W"), std::string::npos) << w.status().message();
  EXPECT_FALSE(run_node("RNN", {kX, kW, kR}, relu_attrs("sideways"), 2).is_ok());
  auto attrs = relu_attrs();
  attrs["hidden_size"] = Attribute::make_int(3);
  EXPECT_FALSE(run_node("RNN", {kX, kW, kR}, attrs, 2).is_ok());
  attrs = relu_attrs();
  attrs["activations"] = acts({"Cube"});
  EXPECT_FALSE(run_node("RNN", {kX, kW, kR}, attrs, 2).is_ok());
  auto lens = test::make<int32_t>({1}, {3});
  EXPECT_FALSE(run_node("RNN", {kX, kW, kR, Tensor(), lens}, relu_attrs(), 2).is_ok());
  EXPECT_FALSE(run_node("RNN", {test::make_i64({2, 1, 1}, {1, 2}), kW, kR}, relu_attrs(), 2).is_ok());
}

TEST(RNN, SymbolicInference) {
  // Static inference keeps seq and batch symbolic; checked through the model after load.
  Model m;
  m.opsets.push_back({"", 17});
  m.graph.inputs.push_back({"x", ValueType{DType::kFloat32, true, {Dim::symbolic("T"), Dim::symbolic("N"), 1}}});
  m.graph.initializers["w"] = make_f32({2, 1, 1}, {1, 1});
  m.graph.initializers["r"] = make_f32({2, 1, 1}, {1, 1});
  Node n;
  n.op_type = "RNN";
  n.inputs = {"x", "w", "r"};
  n.outputs = {"y", "yh"};
  n.attributes = relu_attrs("bidirectional");
  m.graph.nodes.push_back(n);
  m.graph.outputs = {{"y", {}}, {"yh", {}}};
  auto s = Session::create(std::move(m));
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ((*s)->outputs()[0].type.to_string(), "float32[T,2,N,1]");
  EXPECT_EQ((*s)->outputs()[1].type.to_string(), "float32[2,N,1]");
}

}  // namespace
}  // namespace ew
