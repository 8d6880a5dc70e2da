// The fast ActivationGrad against the reference kernel, bit for bit: every
// piecewise activation, inputs on the kinks (0, ±3, the Clip bounds), a size
// that takes the threaded path and one that does not.
#include <gtest/gtest.h>

#include "fast_test_util.h"
#include "ops/grad/grad_domain.h"

namespace ew::test {
namespace {

NodeCase grad_case(const std::string& activation, float alpha, float beta, const Shape& shape) {
  NodeCase c;
  c.op_type = "ActivationGrad";
  c.domain = kGradDomain;
  c.opset = 1;
  c.attributes = {{"activation", Attribute::make_string(activation)},
                  {"alpha", Attribute::make_float(alpha)},
                  {"beta", Attribute::make_float(beta)}};
  Tensor x = random_f32(shape, 3, -5.0f, 5.0f);
  const float kinks[] = {0.0f, -0.0f, 3.0f, -3.0f, alpha, beta, -2.5f, 2.5f};
  for (int64_t i = 0; i < x.numel(); i += 7) x.data<float>()[i] = kinks[(i / 7) % 8];
  c.inputs = {random_f32(shape, 4), x};
  return c;
}

TEST(FastActivationGrad, MatchesReferenceBitForBit) {
  const struct {
    const char* name;
    float alpha, beta;
  } cases[] = {{"Relu", 0, 0}, {"LeakyRelu", 0.1f, 0}, {"Clip", 0.0f, 6.0f}, {"Clip", -1.5f, 2.5f},
               {"HardSigmoid", 0.2f, 0.5f}, {"HardSwish", 0, 0}, {"Abs", 0, 0}};
  for (const auto& a : cases)
    for (const Shape& shape : {Shape{5, 7, 3}, Shape{3, 17, 1000}}) {
      SCOPED_TRACE(std::string(a.name) + " " + shape_to_string(shape));
      check_fast_matches(grad_case(a.name, a.alpha, a.beta, shape), "vectorized", 0, 0);
    }
}

TEST(FastActivationGrad, LeavesSmoothActivationsToTheReference) {
  for (const char* name : {"Sigmoid", "Tanh", "Gelu", "Softplus", "Elu", "Exp"})
    EXPECT_TRUE(fast_declines(grad_case(name, 1.0f, 0, {4, 4}), "vectorized")) << name;
}

}  // namespace
}  // namespace ew::test
