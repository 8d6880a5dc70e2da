#include <gtest/gtest.h>

#include <cstdint>

#include "math_test_util.h"

namespace ew {
namespace {
using mtest::attr_s;
using mtest::run1;
using mtest::values;
using test::make;

TEST(BitShift, LeftAndRightWithBroadcast) {
  auto x = make<uint8_t>({3}, {16, 4, 1});
  auto s = make<uint8_t>({3}, {1, 2, 3});
  EXPECT_EQ(values<uint8_t>(run1("BitShift", {x, s}, {{"direction", attr_s("RIGHT")}})),
            (std::vector<uint8_t>{8, 1, 0}));
  EXPECT_EQ(values<uint8_t>(run1("BitShift", {x, s}, {{"direction", attr_s("LEFT")}})),
            (std::vector<uint8_t>{32, 16, 8}));
  auto y = run1("BitShift", {make<uint32_t>({2, 1}, {1, 3}), make<uint32_t>({2}, {0, 31})}, {{"direction", attr_s("LEFT")}});
  EXPECT_EQ(values<uint32_t>(y), (std::vector<uint32_t>{1, 0x80000000u, 3, 0x80000000u}));
}

TEST(BitShift, ShiftOverflowsDropBits) {
  auto x = make<uint16_t>({3}, {0xffff, 0xffff, 0x8001});
  auto s = make<uint16_t>({3}, {4, 16, 1});
  EXPECT_EQ(values<uint16_t>(run1("BitShift", {x, s}, {{"direction", attr_s("LEFT")}})),
            (std::vector<uint16_t>{0xfff0, 0, 0x0002}));
  auto big = make<uint64_t>({1}, {~0ull});
  EXPECT_EQ(values<uint64_t>(run1("BitShift", {big, make<uint64_t>({1}, {64})}, {{"direction", attr_s("RIGHT")}})),
            (std::vector<uint64_t>{0}));
}

TEST(BitShift, Errors) {
  auto x = make<uint8_t>({1}, {1});
  mtest::expect_error(test::run_node("BitShift", {x, x}), "direction");
  mtest::expect_error(test::run_node("BitShift", {x, x}, {{"direction", attr_s("UP")}}), "direction");
  auto i = make<int32_t>({1}, {1});
  mtest::expect_error(test::run_node("BitShift", {i, i}, {{"direction", attr_s("LEFT")}}), "unsigned");
  EXPECT_FALSE(test::run_node("BitShift", {x, x}, {{"direction", attr_s("LEFT")}}, 1, 10).is_ok());
}

}  // namespace
}  // namespace ew
