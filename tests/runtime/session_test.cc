#include "runtime/session.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ir/graph_builder.h"
#include "ir/onnx_export.h"
#include "test_util.h"

namespace ew {
using test::make_f32;

namespace {
// y = Relu(x + b), x: float32[N, 3]
Model add_relu_model() {
  GraphBuilder b("add_relu");
  std::string x = b.input("x", DType::kFloat32, {Dim::symbolic("N"), 3});
  std::string bias = b.constant("b", make_f32({3}, {1, -1, 0}));
  b.output(b.node("Relu", {b.node("Add", {x, bias})}), "y");
  return b.build().value();
}
}  // namespace

TEST(Session, RunsWithAnyBatchSize) {
  auto s = Session::create(add_relu_model());
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  auto one = (*s)->run({{"x", make_f32({1, 3}, {1, 1, -5})}});
  ASSERT_TRUE(one.is_ok()) << one.status().to_string();
  EXPECT_EQ(test::values_f32((*one)[0]), (std::vector<float>{2, 0, 0}));
  auto three = (*s)->run({{"x", make_f32({3, 3}, {1, 1, -5, 0, 2, 1, -2, 0, 0})}});
  ASSERT_TRUE(three.is_ok());
  EXPECT_EQ((*three)[0].shape(), (Shape{3, 3}));
  EXPECT_EQ(test::values_f32((*three)[0]), (std::vector<float>{2, 0, 0, 1, 1, 1, 0, 0, 0}));
}

TEST(Session, StaticInferenceKeepsSymbolicDims) {
  auto s = Session::create(add_relu_model());
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ((*s)->outputs()[0].type.to_string(), "float32[N,3]");
}

TEST(Session, WrongInputsAreClearErrors) {
  auto s = Session::create(add_relu_model()).value();
  auto missing = s->run({});
  EXPECT_NE(missing.status().message().find("missing input 'x'"), std::string::npos) << missing.status().message();
  auto unknown = s->run({{"x", make_f32({1, 3}, {0, 0, 0})}, {"z", make_f32({1}, {0})}});
  EXPECT_NE(unknown.status().message().find("no input named 'z'"), std::string::npos);
  auto dtype = s->run({{"x", test::make_i64({1, 3}, {0, 0, 0})}});
  EXPECT_NE(dtype.status().message().find("must be float32"), std::string::npos) << dtype.status().message();
  auto shape = s->run({{"x", make_f32({1, 4}, {0, 0, 0, 0})}});
  EXPECT_NE(shape.status().message().find("dimension 1"), std::string::npos) << shape.status().message();
  auto rank = s->run({{"x", make_f32({3}, {0, 0, 0})}});
  EXPECT_EQ(rank.status().code(), StatusCode::kInvalidArgument);
}

TEST(Session, SymbolicDimMustBindConsistently) {
  GraphBuilder b("two_inputs");
  std::string x = b.input("x", DType::kFloat32, {Dim::symbolic("N")});
  std::string y = b.input("y", DType::kFloat32, {Dim::symbolic("N")});
  b.output(b.node("Add", {x, y}), "z");
  auto s = Session::create(b.build().value()).value();
  auto r = s->run({{"x", make_f32({2}, {1, 2})}, {"y", make_f32({3}, {1, 2, 3})}});
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("'N'"), std::string::npos) << r.status().message();
}

TEST(Session, AllUnsupportedOpsAreListedAtLoad) {
  GraphBuilder b("exotic");
  std::string x = b.input("x", DType::kFloat32, {2});
  std::string y = b.node("FrobnicateA", {x});
  y = b.node("FrobnicateB", {y});
  b.output(b.node("Relu", {y}), "z");
  auto s = Session::create(b.build().value());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(s.status().message().find("FrobnicateA"), std::string::npos);
  EXPECT_NE(s.status().message().find("FrobnicateB"), std::string::npos);
  EXPECT_NE(s.status().message().find("2 unsupported"), std::string::npos) << s.status().message();
}

TEST(Session, NodeWithoutOutputsIsRejectedAtLoad) {
  GraphBuilder b("no_outputs");
  std::string x = b.input("x", DType::kFloat32, {2});
  b.node_n("ArgMax", {x}, 0);
  b.output(x, "y");
  auto s = Session::create(b.build().value());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.status().message().find("has no outputs"), std::string::npos) << s.status().message();
}

TEST(Session, WrongInputCountIsRejectedAtLoad) {
  GraphBuilder b("short_mul");
  std::string x = b.input("x", DType::kFloat32, {2});
  b.output(b.node("Mul", {x}), "y");
  auto s = Session::create(b.build().value());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.status().message().find("has 1 inputs; Mul takes 2 to 2"), std::string::npos) << s.status().message();
}

TEST(Session, ExternalDataRoundTrip) {
  auto dir = std::filesystem::temp_directory_path() / ("ew_session_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "m.onnx").string();
  ASSERT_TRUE(save_onnx(add_relu_model(), path, 1).is_ok());
  EXPECT_TRUE(std::filesystem::exists(path + ".data"));
  auto s = Session::load(path);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  auto out = (*s)->run({{"x", make_f32({1, 3}, {1, 1, -5})}});
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(test::values_f32((*out)[0]), (std::vector<float>{2, 0, 0}));
  std::filesystem::remove_all(dir);
}

}  // namespace ew
