#include <gtest/gtest.h>

#include "nn_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {
Tensor corner_boxes() { return make_f32({1, 3, 4}, {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, 2, 1, 3}); }
Tensor scores() { return make_f32({1, 1, 3}, {0.9f, 0.8f, 0.7f}); }
Result<std::vector<Tensor>> nms(Tensor boxes, int64_t max_out, float iou, float score = -1, int64_t center = 0) {
  std::vector<Tensor> in{boxes, scores(), make_i64({1}, {max_out}), make_f32({1}, {iou})};
  if (score >= 0) in.push_back(make_f32({1}, {score}));
  return run_node("NonMaxSuppression", in, {{"center_point_box", i(center)}});
}
}  // namespace

TEST(NonMaxSuppression, SuppressesOverlappingBoxes) {
  auto out = nms(corner_boxes(), 3, 0.5f);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{0, 0, 0, 0, 0, 2}));
  auto loose = nms(corner_boxes(), 3, 0.9f);  // IoU 0.818 is kept
  ASSERT_TRUE(loose.is_ok());
  EXPECT_EQ(values_i64((*loose)[0]), (std::vector<int64_t>{0, 0, 0, 0, 0, 1, 0, 0, 2}));
}

TEST(NonMaxSuppression, ScoreThresholdAndLimit) {
  auto thr = nms(corner_boxes(), 3, 0.5f, 0.75f);
  ASSERT_TRUE(thr.is_ok());
  EXPECT_EQ(values_i64((*thr)[0]), (std::vector<int64_t>{0, 0, 0}));
  auto one = nms(corner_boxes(), 1, 0.9f);
  ASSERT_TRUE(one.is_ok());
  EXPECT_EQ(values_i64((*one)[0]), (std::vector<int64_t>{0, 0, 0}));
  auto none = nms(corner_boxes(), 0, 0.9f);
  ASSERT_TRUE(none.is_ok());
  EXPECT_EQ((*none)[0].shape(), (Shape{0, 3}));
}

TEST(NonMaxSuppression, CenterPointBoxes) {
  auto boxes = make_f32({1, 3, 4}, {0.5f, 0.5f, 1, 1, 0.6f, 0.5f, 1, 1, 2.5f, 0.5f, 1, 1});
  auto out = nms(boxes, 3, 0.5f, -1, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_i64((*out)[0]), (std::vector<int64_t>{0, 0, 0, 0, 0, 2}));
}

TEST(NonMaxSuppression, MismatchedScoresIsAnError) {
  auto out = run_node("NonMaxSuppression", {corner_boxes(), make_f32({1, 1, 2}, {1, 2})});
  EXPECT_FALSE(out.is_ok());
}

}  // namespace ew
