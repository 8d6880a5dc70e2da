// The whole-model gradient of the trained shared models (and of the tiny BERTs)
// against central finite differences on a batch (gradient_check.h): every parameter tensor is moved
// as a whole along its gradient and along a random direction.
#include <gtest/gtest.h>

#include "gradient_check.h"
#include "ir/onnx_import.h"
#include "test_util.h"

namespace ew::train {
namespace {

// Each parameter tensor moved as a whole. A step of 1e-3: larger steps cross
// ReLU6 kinks; smaller ones drown in float32 rounding.
test::GradCheckOptions whole_model_options() {
  test::GradCheckOptions o;
  o.directional = true;
  o.eps = 1e-3f;
  o.rtol = 1e-2;
  o.atol = 1e-3;
  return o;
}

void check_shared_model(const char* name) {
  auto model = load_onnx(ew::test::shared_models_dir() + "/" + name + "/model.onnx");
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  ASSERT_FALSE(model->graph.inputs.empty());
  model->graph.inputs[0].type.dims[0] = Dim(2);  // a batch of two, so every shape is known
  test::GradCheckOptions o = whole_model_options();
  o.inputs[model->graph.inputs[0].name] = test::random_tensor({2, 1, 28, 28}, 11, 0.0f, 1.0f);
  EXPECT_TRUE(test::check_gradients(*model, o));
}

TEST(WholeModelGradient, FashionMobileNet) {
  EW_REQUIRE_SHARED_MODELS();
  check_shared_model("fashion_mbnet");
}

TEST(WholeModelGradient, FashionResNet) {
  EW_REQUIRE_SHARED_MODELS();
  check_shared_model("fashion_resnet");
}

// Attention, Gelu (Erf), embeddings, and LayerNorm as primitive ops (op14) or as
// LayerNormalization (op17), on a batch of two sequences of eight tokens.
void check_tiny_bert(const char* name) {
  auto model = load_onnx(ew::test::shared_models_dir() + "/" + name + "/model.onnx");
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  test::GradCheckOptions o = whole_model_options();
  std::vector<int64_t> ids(16), mask(16, 1);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>((i * 37 + 5) % 100);
  mask[15] = mask[14] = 0;  // padding at the end of the second sequence
  for (ValueInfo& in : model->graph.inputs) {
    in.type.dims = {Dim(2), Dim(8)};
    o.inputs[in.name] = Tensor::from_vector<int64_t>({2, 8}, in.name == "attention_mask" ? mask : ids).value();
  }
  EXPECT_TRUE(test::check_gradients(*model, o));
}

TEST(WholeModelGradient, TinyBertPrimitiveLayerNorm) {
  EW_REQUIRE_SHARED_MODELS();
  check_tiny_bert("tiny_bert_op14_random");
}

TEST(WholeModelGradient, TinyBertLayerNormalization) {
  EW_REQUIRE_SHARED_MODELS();
  check_tiny_bert("tiny_bert_op17_random");
}

}  // namespace
}  // namespace ew::train
