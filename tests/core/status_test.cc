#include "core/status.h"

#include <gtest/gtest.h>

namespace ew {

Result<int> half_of(int x) {
  if (x % 2) return invalid_argument("odd");
  return x / 2;
}

Status use(int x, int* out) {
  EW_ASSIGN_OR_RETURN(*out, half_of(x));
  return Status::ok();
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = invalid_model("bad graph");
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.to_string(), "invalid model: bad graph");
  EXPECT_EQ(s.with_context("model.onnx: ").message(), "model.onnx: bad graph");
}

TEST(Status, AssignOrReturnPropagates) {
  int v = 0;
  EXPECT_TRUE(use(8, &v).is_ok());
  EXPECT_EQ(v, 4);
  Status s = use(3, &v);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

}  // namespace ew
