// Palettization: the rewritten model computes exactly what the float model
// computes with every weight snapped to its centroid (1, 2, 4 and 6 bits,
// packed indices unpacked in the graph), passes the ONNX checker, stores the
// indices compactly, and trains its codebooks with the chain rule's gradient.
#include "palettize/palettize.h"

#include <gtest/gtest.h>

#include <cmath>

#include "ir/graph_builder.h"
#include "ir/onnx_checker.h"
#include "palettize/kmeans.h"
#include "runtime/session.h"
#include "train/gradient_check.h"
#include "train/gradients.h"

namespace ew::palettize {
namespace {

using train::test::random_tensor;

// Conv [6,3,3,3] (162 values) -> Relu -> Flatten -> Gemm [5, 6*4*4].
Model small_net(int64_t opset = 17) {
  GraphBuilder b("net", opset);
  std::string x = b.input("x", DType::kFloat32, {Dim(2), Dim(3), Dim(6), Dim(6)});
  std::string c = b.node("Conv", {x, b.constant("conv.w", random_tensor({6, 3, 3, 3}, 1)), b.constant("conv.b", random_tensor({6}, 2))});
  std::string f = b.node("Flatten", {b.node("Relu", {c})});
  b.output(b.node("Gemm", {f, b.constant("fc.w", random_tensor({5, 96}, 3)), b.constant("fc.b", random_tensor({5}, 4))},
                  {{"transB", Attribute::make_int(1)}}));
  Model m = b.build().value();
  m.graph.outputs[0].type = ValueType::of(DType::kFloat32, {2, 5});  // the checker wants typed outputs
  return m;
}

// The float model with each of `names` replaced by its k-means centroids.
Model snapped(Model m, int bits, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    Tensor& t = m.graph.initializers.at(n);
    Palette p = kmeans_1d(t.data<float>(), t.numel(), 1 << bits);
    for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = p.centroids[p.index[i]];
  }
  return m;
}

Tensor run(const Model& m, const Tensor& x) {
  auto s = Session::create(m);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return (*s)->run({{"x", x}}).value()[0];
}

TEST(Palettize, ComputesTheSnappedModelExactly) {
  const Tensor x = random_tensor({2, 3, 6, 6}, 9);
  for (int bits : {1, 2, 4, 6}) {
    Model m = small_net();
    PalettizeOptions o;
    o.bits = bits;
    o.min_elements = 100;
    auto r = palettize(m, o);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_EQ(r->layers.size(), 2u);
    EXPECT_FALSE(m.graph.is_initializer("conv.w"));
    EXPECT_TRUE(m.graph.is_initializer("conv.b"));  // rank 1: stays float
    const Tensor* packed = m.graph.initializer("palette/fc.w/indices");
    ASSERT_NE(packed, nullptr);
    const int stored = bits == 6 ? 8 : bits;
    EXPECT_EQ(packed->numel(), (480 * stored + 7) / 8) << bits;
    EXPECT_LE(m.graph.initializer("palette/fc.w/codebook")->numel(), 1 << bits);
    EXPECT_TRUE(check_onnx_model(m).is_ok()) << check_onnx_model(m).to_string();
    const Tensor y = run(m, x), want = run(snapped(small_net(), bits, {"conv.w", "fc.w"}), x);
    ASSERT_EQ(y.shape(), want.shape());
    for (int64_t i = 0; i < y.numel(); ++i) EXPECT_FLOAT_EQ(y.data<float>()[i], want.data<float>()[i]) << bits;
    for (const LayerPalette& l : r->layers) {
      EXPECT_LT(l.bytes_after, l.bytes_before);
      EXPECT_GT(l.sqnr_db, bits == 1 ? 0.0 : 5.0 * bits) << l.name;
    }
    EXPECT_LT(r->palettized_bytes, r->float_weight_bytes);
  }
}

TEST(Palettize, CodebookGradientSumsTheWeightGradients) {
  Model m = small_net();
  PalettizeOptions o;
  o.min_elements = 100;
  ASSERT_TRUE(palettize(m, o).is_ok());
  const Tensor x = random_tensor({2, 3, 6, 6}, 9);
  const Tensor y = Tensor::from_vector<int64_t>({2}, {1, 3}).value();
  train::TrainingGraphOptions to;
  auto pg = train::compute_gradients(m, {{"x", x}}, y, to);
  ASSERT_TRUE(pg.is_ok()) << pg.status().to_string();
  const Model plain = snapped(small_net(), 4, {"conv.w", "fc.w"});
  auto fg = train::compute_gradients(plain, {{"x", x}}, y, to);
  ASSERT_TRUE(fg.is_ok()) << fg.status().to_string();
  EXPECT_NEAR(pg->loss, fg->loss, 1e-6);
  auto grad_of = [](const train::GradientResult& r, const std::string& name) {
    for (const auto& [n, g] : r.gradients)
      if (n == name) return g;
    ADD_FAILURE() << "no gradient for " << name;
    return Tensor();
  };
  const Tensor gw = grad_of(*fg, "fc.w"), gc = grad_of(*pg, "palette/fc.w/codebook");
  const Model original = small_net();
  const Tensor& w = original.graph.initializers.at("fc.w");
  Palette p = kmeans_1d(w.data<float>(), w.numel(), 16);
  std::vector<double> expected(p.centroids.size(), 0.0);
  for (int64_t i = 0; i < w.numel(); ++i) expected[p.index[i]] += gw.data<float>()[i];
  ASSERT_EQ(gc.numel(), static_cast<int64_t>(expected.size()));
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(gc.data<float>()[k], expected[k], 1e-5) << k;
}

TEST(Palettize, BadRequestsAreClearErrors) {
  Model m = small_net();
  PalettizeOptions o;
  o.bits = 9;
  EXPECT_NE(palettize(m, o).status().message().find("1 to 8 bits"), std::string::npos);
  o.bits = 4;
  o.min_elements = 1000;  // nothing that large
  EXPECT_NE(palettize(m, o).status().message().find("no weight"), std::string::npos);
  Model old = small_net(9);
  o.min_elements = 100;
  EXPECT_NE(palettize(old, o).status().message().find("opset"), std::string::npos);
  Model eleven = small_net(11);  // raised to 13 for Unsqueeze's axes input
  ASSERT_TRUE(palettize(eleven, o).is_ok());
  EXPECT_EQ(eleven.opset(""), 13);
}

}  // namespace
}  // namespace ew::palettize
