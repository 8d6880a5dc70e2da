#include <gtest/gtest.h>

#include <numeric>

#include "fast_test_util.h"
#include "test_util.h"

namespace ew {
using namespace test;

namespace {

NodeCase transpose(Tensor x, const std::vector<int64_t>* perm) {
  NodeCase c;
  c.op_type = "Transpose";
  c.inputs = {std::move(x)};
  if (perm) c.attributes["perm"] = Attribute::make_ints(*perm);
  return c;
}

Tensor iota_i64(const Shape& s) {
  auto t = Tensor::create(DType::kInt64, s);
  if (!t.is_ok()) std::abort();
  std::iota(t->data<int64_t>(), t->data<int64_t>() + t->numel(), int64_t{0});
  return std::move(t).value();
}

void check_exact(const NodeCase& c) {
  auto ref = run_reference(c);
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  bool applied = false;
  auto fast = run_fast(c, "transpose_tiles", nullptr, &applied);
  ASSERT_TRUE(fast.is_ok() && applied);
  std::unique_ptr<pthreadpool, decltype(&pthreadpool_destroy)> pool(pthreadpool_create(2), pthreadpool_destroy);
  auto threaded = run_fast(c, "transpose_tiles", pool.get(), &applied);
  ASSERT_TRUE(threaded.is_ok());
  EXPECT_EQ((*ref)[0].shape(), (*fast)[0].shape());
  EXPECT_EQ(values_i64((*ref)[0]), values_i64((*fast)[0]));
  EXPECT_EQ(values_i64((*ref)[0]), values_i64((*threaded)[0]));
}

}  // namespace

TEST(FastTranspose, MatchesReferenceOnCommonPerms) {
  const std::vector<std::pair<Shape, std::vector<int64_t>>> cases = {
      {{1, 32, 4, 32}, {0, 2, 1, 3}},
      {{1, 32, 4, 32}, {0, 2, 3, 1}},
      {{2, 3, 17, 19}, {0, 2, 3, 1}},  // NCHW -> NHWC
      {{2, 17, 19, 3}, {0, 3, 1, 2}},  // NHWC -> NCHW
      {{1, 1, 3, 3, 20, 21}, {0, 1, 4, 2, 5, 3}},  // pixel shuffle
      {{37, 41}, {1, 0}},
      {{1, 1}, {1, 0}},
      {{5, 1, 7}, {2, 1, 0}},
      {{2, 3, 4, 5, 6}, {4, 0, 3, 1, 2}},
      {{3, 0, 2}, {2, 0, 1}},
      {{4, 5, 6}, {0, 1, 2}},
  };
  for (const auto& [shape, perm] : cases) {
    SCOPED_TRACE(shape_to_string(shape));
    check_exact(transpose(iota_i64(shape), &perm));
  }
  check_exact(transpose(iota_i64({3, 4, 5}), nullptr));  // default: reverse
}

TEST(FastTranspose, OtherElementSizes) {
  const std::vector<int64_t> perm{0, 2, 1};
  for (uint32_t seed : {1u, 2u}) {
    NodeCase c = transpose(random_f32({3, 33, 18}, seed), &perm);
    check_fast_matches(c, "transpose_tiles", 0, 0);
  }
  NodeCase u8 = transpose(make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}), &perm);
  u8.inputs[0] = make<uint8_t>({1, 2, 3}, {1, 2, 3, 4, 5, 6});
  auto ref = run_reference(u8);
  bool applied = false;
  auto fast = run_fast(u8, "transpose_tiles", nullptr, &applied);
  ASSERT_TRUE(ref.is_ok() && fast.is_ok() && applied);
  EXPECT_EQ(values_i64((*ref)[0]), values_i64((*fast)[0]));
}

}  // namespace ew
