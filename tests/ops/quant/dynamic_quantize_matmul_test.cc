#include <cmath>

#include "quant_test_util.h"

namespace ew {
namespace {
using namespace qtest;

// The fused op equals DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul run as separate nodes.
TEST(DynamicQuantizeMatMul, EqualsTheUnfusedGroup) {
  Tensor a = f32({2, 3}, {-1.0f, 0.5f, 2.0f, 0.25f, -0.75f, 1.5f});
  Tensor b = i8({3, 2}, {10, -20, 30, 40, -50, 60});
  Tensor b_scale = f32({2}, {0.01f, 0.02f});
  Tensor b_zp = i8({2}, {1, -2});
  Tensor bias = f32({2}, {0.5f, -0.5f});
  Tensor y = run1("DynamicQuantizeMatMul", {a, b, b_scale, b_zp, bias}, {}, 1, kMs);
  auto q = test::run_node("DynamicQuantizeLinear", {a}, {}, 3, 11);
  ASSERT_TRUE(q.is_ok());
  Tensor acc = run1("MatMulInteger", {(*q)[0], b, (*q)[2], b_zp}, {}, 10);
  const float a_scale = (*q)[1].data<float>()[0];
  ASSERT_EQ(y.shape(), (Shape{2, 2}));
  for (int i = 0; i < 4; ++i) {
    const float want = static_cast<float>(acc.data<int32_t>()[i]) * (a_scale * b_scale.data<float>()[i % 2]) +
                       bias.data<float>()[i % 2];
    EXPECT_FLOAT_EQ(y.data<float>()[i], want);
  }
  // And it approximates the float product.
  EXPECT_NEAR(y.data<float>()[0], (-1.0f * 9 + 0.5f * 29 + 2.0f * -51) * 0.01f + 0.5f, 0.02);
}

TEST(DynamicQuantizeMatMul, BadInputsAreErrors) {
  Tensor a = f32({1, 3}, {1, 2, 3});
  run_error("DynamicQuantizeMatMul", {a, i8({2, 2}, {1, 2, 3, 4}), scalar_f(1)}, {}, 1, kMs);
  run_error("DynamicQuantizeMatMul", {a, i8({3, 2}, {1, 2, 3, 4, 5, 6}), f32({3}, {1, 1, 1})}, {}, 1, kMs);
  run_error("DynamicQuantizeMatMul", {f32({1, 3}, {1, NAN, 3}), i8({3, 1}, {1, 2, 3}), scalar_f(1)}, {}, 1, kMs);
}

}  // namespace
}  // namespace ew
