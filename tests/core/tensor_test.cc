#include "core/tensor.h"

#include <gtest/gtest.h>

namespace ew {

TEST(Tensor, CreateIsZeroFilledAndAligned) {
  auto t = Tensor::create(DType::kFloat32, {2, 3});
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t->numel(), 6);
  EXPECT_EQ(t->nbytes(), 24u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->raw()) % 64, 0u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(t->data<float>()[i], 0.0f);
}

TEST(Tensor, RejectsNegativeAndAbsurdShapes) {
  EXPECT_EQ(Tensor::create(DType::kFloat32, {-1, 3}).status().code(), StatusCode::kInvalidArgument);
  auto huge = Tensor::create(DType::kFloat32, {1 << 30, 1 << 30});
  EXPECT_EQ(huge.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(huge.status().message().find("limit"), std::string::npos);
  auto overflow = Tensor::create(DType::kFloat32, {INT64_MAX, 4});
  EXPECT_FALSE(overflow.is_ok());
}

TEST(Tensor, ReshapeSharesBytesCloneCopies) {
  auto t = Tensor::from_vector<int32_t>({2, 2}, {1, 2, 3, 4}).value();
  auto r = t.reshaped({4}).value();
  EXPECT_EQ(r.raw(), t.raw());
  EXPECT_FALSE(t.reshaped({3}).is_ok());
  auto c = t.clone().value();
  EXPECT_NE(c.raw(), t.raw());
  c.data<int32_t>()[0] = 9;
  EXPECT_EQ(t.data<int32_t>()[0], 1);
}

TEST(Tensor, ReadsAnyDtypeAsNumbers) {
  auto h = Tensor::from_vector<float16>({2}, {float16(1.5f), float16(-2.0f)}).value();
  EXPECT_EQ(h.get_double(0), 1.5);
  EXPECT_EQ(h.get_int64(1), -2);
  auto b = Tensor::from_vector<bool>({2}, {true, false}).value();
  EXPECT_EQ(b.to_int64_vector(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(b.describe(), "bool[2]");
}

TEST(Tensor, ByteLimitIsAdjustable) {
  int64_t old = max_tensor_bytes();
  set_max_tensor_bytes(1024);
  EXPECT_FALSE(Tensor::create(DType::kFloat32, {512}).is_ok());
  EXPECT_TRUE(Tensor::create(DType::kFloat32, {256}).is_ok());
  set_max_tensor_bytes(old);
}

}  // namespace ew
