// oneDNN's backward convolution primitives (backends/onednn/lower_conv_grad.cc)
// against the reference ConvGradInput / ConvGradFilter kernels: strides,
// asymmetric pads, dilation, groups and depthwise, with and without the bias
// gradient, every operand a graph input as in a training graph.
#include <gtest/gtest.h>

#include <random>

#include "backends/backend.h"
#include "check/compare.h"
#include "ir/graph_builder.h"
#include "ops/grad/grad_domain.h"
#include "runtime/session.h"

namespace ew {
namespace {

using Attrs = std::map<std::string, Attribute>;

Tensor random_f32(const Shape& shape, uint32_t seed) {
  auto t = Tensor::create(DType::kFloat32, shape).value();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

bool onednn_here() {
  for (const Backend* b : available_backends())
    if (std::string(b->name()) == "onednn") return true;
  return false;
}

std::vector<Dim> dims_of(const Shape& s) { return std::vector<Dim>(s.begin(), s.end()); }

// Runs `op`(dY, A, B_like) with oneDNN forced and on reference kernels; the outputs must agree.
void expect_same(const std::string& op, const Shape& dy, const Shape& a, const Shape& like, const Attrs& attrs, int outputs) {
  if (!onednn_here()) GTEST_SKIP() << "oneDNN is not available here";
  GraphBuilder b("g", 17);
  b.import_opset(kGradDomain, 1);
  std::vector<std::string> in{b.input("dy", DType::kFloat32, dims_of(dy)), b.input("a", DType::kFloat32, dims_of(a)),
                              b.input("like", DType::kFloat32, dims_of(like))};
  for (const std::string& o : b.node_n(op, in, outputs, attrs, "", kGradDomain)) b.output(o);
  Model model = b.build().value();
  SessionOptions fast, ref;
  fast.backend = "onednn";
  fast.tuning_cache = "none";
  ref.use_backends = false;
  ref.fast_kernels = false;
  std::map<std::string, Tensor> feed{{"dy", random_f32(dy, 1)}, {"a", random_f32(a, 2)}, {"like", random_f32(like, 3)}};
  auto s_fast = Session::create(model, fast), s_ref = Session::create(model, ref);
  ASSERT_TRUE(s_fast.is_ok()) << s_fast.status().to_string();
  ASSERT_TRUE(s_ref.is_ok()) << s_ref.status().to_string();
  EXPECT_EQ(s_fast.value()->plan_summary().backend_nodes["onednn"], 1);
  auto y_fast = s_fast.value()->run(feed), y_ref = s_ref.value()->run(feed);
  ASSERT_TRUE(y_fast.is_ok()) << y_fast.status().to_string();
  ASSERT_TRUE(y_ref.is_ok()) << y_ref.status().to_string();
  ASSERT_EQ(y_fast->size(), static_cast<size_t>(outputs));
  for (int i = 0; i < outputs; ++i) {
    Comparison c = compare_tensors((*y_fast)[i], (*y_ref)[i], Tolerance{1e-4, 1e-4, 0});
    EXPECT_TRUE(c.match) << op << " output " << i << ": max abs " << c.max_abs_error << " max rel " << c.max_rel_error;
  }
}

Attribute ints(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }

TEST(OnednnConvGrad, StridesAndAsymmetricPads) {
  Attrs a{{"strides", ints({2, 2})}, {"pads", ints({1, 0, 2, 1})}};
  // X [2,3,9,8], W [4,3,3,3] -> Y [2,4,5,4]
  expect_same("ConvGradInput", {2, 4, 5, 4}, {4, 3, 3, 3}, {2, 3, 9, 8}, a, 1);
  expect_same("ConvGradFilter", {2, 4, 5, 4}, {2, 3, 9, 8}, {4, 3, 3, 3}, a, 2);
}

TEST(OnednnConvGrad, DilationWithoutBias) {
  Attrs a{{"dilations", ints({2, 2})}, {"pads", ints({1, 1, 1, 1})}};
  // X [1,2,7,7], W [3,2,3,3], effective kernel 5 -> Y [1,3,5,5]
  expect_same("ConvGradInput", {1, 3, 5, 5}, {3, 2, 3, 3}, {1, 2, 7, 7}, a, 1);
  expect_same("ConvGradFilter", {1, 3, 5, 5}, {1, 2, 7, 7}, {3, 2, 3, 3}, a, 1);
}

TEST(OnednnConvGrad, GroupsAndDepthwise) {
  Attrs grouped{{"group", Attribute::make_int(2)}, {"pads", ints({1, 1, 1, 1})}};
  expect_same("ConvGradInput", {2, 6, 6, 6}, {6, 2, 3, 3}, {2, 4, 6, 6}, grouped, 1);
  expect_same("ConvGradFilter", {2, 6, 6, 6}, {2, 4, 6, 6}, {6, 2, 3, 3}, grouped, 2);
  Attrs depthwise{{"group", Attribute::make_int(8)}, {"pads", ints({1, 1, 1, 1})}, {"strides", ints({2, 2})}};
  expect_same("ConvGradInput", {4, 8, 5, 5}, {8, 1, 3, 3}, {4, 8, 10, 10}, depthwise, 1);
  expect_same("ConvGradFilter", {4, 8, 5, 5}, {4, 8, 10, 10}, {8, 1, 3, 3}, depthwise, 2);
}

TEST(OnednnConvGrad, Pointwise) {
  expect_same("ConvGradInput", {3, 16, 7, 7}, {16, 24, 1, 1}, {3, 24, 7, 7}, {}, 1);
  expect_same("ConvGradFilter", {3, 16, 7, 7}, {3, 24, 7, 7}, {16, 24, 1, 1}, {}, 2);
}

}  // namespace
}  // namespace ew
