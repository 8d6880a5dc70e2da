#include <gtest/gtest.h>

#include <random>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

template <typename T>
Tensor random_bytes(const Shape& shape, uint32_t seed) {
  Tensor t = Tensor::create(dtype_v<T>, shape).value();
  std::mt19937 rng(seed);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<T>()[i] = static_cast<T>(rng());
  return t;
}

NodeCase max_pool(Tensor x, std::vector<int64_t> kernel, std::vector<int64_t> strides, std::vector<int64_t> pads,
                  int64_t ceil_mode) {
  NodeCase c;
  c.op_type = "MaxPool";
  c.inputs = {std::move(x)};
  c.attributes = {{"kernel_shape", Attribute::make_ints(kernel)}, {"strides", Attribute::make_ints(strides)},
                  {"pads", Attribute::make_ints(pads)}, {"ceil_mode", Attribute::make_int(ceil_mode)}};
  c.constant = {false};
  return c;
}

}  // namespace

TEST(FastInt8MaxPool, ExactOnBothTypes) {
  uint32_t seed = 1;
  for (const Shape& s : {Shape{1, 3, 9, 11}, Shape{2, 4, 112, 112}, Shape{1, 1, 3, 3}})
    for (int variant = 0; variant < 4; ++variant) {
      const int64_t k = variant < 2 ? 3 : 2, st = variant % 2 ? 2 : 1, pad = variant == 1 ? 1 : 0;
      SCOPED_TRACE(shape_to_string(s) + " variant " + std::to_string(variant));
      check_fast_matches(max_pool(random_bytes<int8_t>(s, seed++), {k, k}, {st, st}, {pad, pad, pad, pad}, variant == 3),
                         "int8_maxpool", 0, 0);
      check_fast_matches(max_pool(random_bytes<uint8_t>(s, seed++), {k, k}, {st, st}, {0, pad, pad, 0}, 0),
                         "int8_maxpool", 0, 0);
    }
}

TEST(FastInt8MaxPool, DeclinesFloatAndDilation) {
  EXPECT_TRUE(fast_declines(max_pool(random_f32({1, 1, 4, 4}, 1), {2, 2}, {1, 1}, {0, 0, 0, 0}, 0), "int8_maxpool"));
  NodeCase d = max_pool(random_bytes<int8_t>({1, 1, 6, 6}, 2), {2, 2}, {1, 1}, {0, 0, 0, 0}, 0);
  d.attributes["dilations"] = Attribute::make_ints({2, 2});
  EXPECT_TRUE(fast_declines(d, "int8_maxpool"));
}

}  // namespace ew
