#include "quant/int4_quantizer.h"

#include "quant/preprocess.h"
#include "quant/quant_params.h"
#include "quant_model_test_util.h"

namespace ew {
namespace {

Tensor ramp(int64_t K, int64_t N) {
  Tensor w = Tensor::create(DType::kFloat32, {K, N}).value();
  for (int64_t i = 0; i < w.numel(); ++i) w.data<float>()[i] = std::sin(0.37f * static_cast<float>(i)) * (1 + i % 5);
  return w;
}

TEST(Int4Quantizer, SymmetricBlocksRoundTripWithinHalfAStep) {
  Tensor w = ramp(40, 3);
  quant::LayerQuantReport r;
  auto q = quant::quantize_nbits(w, 16, true, &r);
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(q->packed.shape(), (Shape{3, 3, 8}));
  EXPECT_EQ(q->scales.numel(), 9);
  EXPECT_FALSE(q->zero_points.defined());
  EXPECT_GT(r.weight_sqnr_db, 15.0);
  // Element (k, n): nibble k % 16 of block k / 16 of column n, zero point 8.
  for (int64_t k = 0; k < 40; ++k)
    for (int64_t n = 0; n < 3; ++n) {
      const uint8_t byte = q->packed.data<uint8_t>()[(n * 3 + k / 16) * 8 + (k % 16) / 2];
      const int v = ((byte >> (4 * (k % 2))) & 15) - 8;
      const float scale = q->scales.data<float>()[n * 3 + k / 16];
      EXPECT_NEAR(v * scale, w.data<float>()[k * 3 + n], scale / 2 + 1e-6) << k << "," << n;
    }
}

TEST(Int4Quantizer, AsymmetricBlocksUseTheirRange) {
  Tensor w = Tensor::create(DType::kFloat32, {16, 1}).value();
  for (int k = 0; k < 16; ++k) w.data<float>()[k] = static_cast<float>(k);  // [0, 15]: scale 1, zero point 0
  auto q = quant::quantize_nbits(w, 16, false, nullptr);
  ASSERT_TRUE(q.is_ok());
  EXPECT_FLOAT_EQ(q->scales.data<float>()[0], 1.0f);
  EXPECT_EQ(q->zero_points.data<uint8_t>()[0] & 15, 0);
  EXPECT_EQ(q->packed.data<uint8_t>()[7], 0xFE);  // values 14 and 15
}

TEST(Int4Quantizer, BadBlockSizeIsAnError) {
  EXPECT_FALSE(quant::quantize_nbits(ramp(32, 2), 24, true, nullptr).is_ok());
}

// tiny BERT: every constant-weight MatMul becomes MatMulNBits; the weights
// shrink more than 6x and the outputs stay close to float.
TEST(Int4Quantizer, TinyBertMatMulsBecomeMatMulNBits) {
  EW_REQUIRE_SHARED_MODELS();
  Model m = test::load_shared("tiny_bert_op17_random");
  ASSERT_TRUE(quant::preprocess(m).is_ok());
  int64_t weight_bytes = 0;
  int layers = 0;
  for (const Node& n : m.graph.nodes)
    if (auto wm = quant::weight_matmul(m.graph, n)) weight_bytes += wm->weight.numel() * 4, ++layers;
  quant::QuantizeOptions o;
  o.mode = quant::QuantMode::kInt4;
  quant::QuantizeReport r;
  ASSERT_TRUE(quant::quantize_int4(m, o, &r).is_ok());
  const int nbits = test::count_ops(m, "com.microsoft::MatMulNBits");
  EXPECT_GE(nbits, 8);  // 6 attention/FFN projections, pooler, classifier, ...
  EXPECT_EQ(nbits, layers);
  int64_t packed_bytes = 0;
  for (const auto& [name, t] : m.graph.initializers)
    if (name.find("_w4") != std::string::npos) packed_bytes += t.numel() * static_cast<int64_t>(dtype_size(t.dtype()));
  EXPECT_GE(static_cast<double>(weight_bytes) / packed_bytes, 6.0);
  EXPECT_LT(r.bytes_after, r.bytes_before);
  std::vector<Tensor> f = test::run_on_test_data(test::load_shared("tiny_bert_op17_random"), "tiny_bert_op17_random", 0);
  std::vector<Tensor> q = test::run_on_test_data(m, "tiny_bert_op17_random", 0);
  std::vector<Tensor> fast = test::run_on_test_data(m, "tiny_bert_op17_random", 2);
  ASSERT_EQ(q.size(), f.size());
  ASSERT_EQ(fast.size(), f.size());
  EXPECT_GT(quant::sqnr_db(f[0], q[0]), 10.0);
  EXPECT_LT(test::max_abs_diff(q[0], fast[0]), 1e-3);  // the fast kernel computes what the reference does
}

}  // namespace
}  // namespace ew
