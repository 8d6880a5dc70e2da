// The fast BatchNormTraining and BatchNormTrainingGrad against the reference
// kernels: spatial and flat inputs, odd sizes, all and only some outputs,
// threads.
#include <gtest/gtest.h>

#include "fast_test_util.h"
#include "ops/grad/grad_domain.h"

namespace ew::test {
namespace {

NodeCase forward_case(const Shape& x, int outputs) {
  NodeCase c;
  c.op_type = "BatchNormTraining";
  c.domain = kGradDomain;
  c.opset = 1;
  c.num_outputs = outputs;
  c.attributes = {{"epsilon", Attribute::make_float(1e-3f)}, {"momentum", Attribute::make_float(0.8f)}};
  const Shape p{x[1]};
  c.inputs = {random_f32(x, 1, -2.0f, 3.0f), random_f32(p, 2, 0.5f, 1.5f), random_f32(p, 3), random_f32(p, 4),
              random_f32(p, 5, 0.5f, 2.0f)};
  return c;
}

NodeCase grad_case(const Shape& x, int outputs) {
  NodeCase c;
  c.op_type = "BatchNormTrainingGrad";
  c.domain = kGradDomain;
  c.opset = 1;
  c.num_outputs = outputs;
  const Shape p{x[1]};
  c.inputs = {random_f32(x, 6), random_f32(x, 7, -2.0f, 3.0f), random_f32(p, 8, 0.5f, 1.5f), random_f32(p, 9),
              random_f32(p, 10, 0.5f, 2.0f)};
  return c;
}

const Shape kShapes[] = {{4, 3, 5, 7}, {64, 16, 14, 14}, {6, 5}, {2, 9, 3, 4, 5}};

TEST(FastBatchNormTraining, MatchesReference) {
  for (const Shape& s : kShapes)
    for (int outputs : {5, 1}) {
      SCOPED_TRACE(shape_to_string(s) + " outputs " + std::to_string(outputs));
      check_fast_matches(forward_case(s, outputs), "channels", 1e-5, 1e-5);
    }
}

TEST(FastBatchNormTrainingGrad, MatchesReference) {
  for (const Shape& s : kShapes)
    for (int outputs : {3, 1}) {
      SCOPED_TRACE(shape_to_string(s) + " outputs " + std::to_string(outputs));
      check_fast_matches(grad_case(s, outputs), "channels", 1e-4, 1e-5);
    }
}

TEST(FastBatchNormTraining, DeclinesOneValuePerChannel) {
  EXPECT_TRUE(fast_declines(forward_case({1, 4}, 5), "channels"));
}

}  // namespace
}  // namespace ew::test
