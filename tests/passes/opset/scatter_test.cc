// Scatter (9) <-> ScatterElements (11).
#include "opset_test_util.h"

namespace ew {
namespace {

using test::built;

TEST(OpsetScatter, ScatterBecomesScatterElementsAndBack) {
  GraphBuilder b("scatter", 9);
  auto x = b.input("x", DType::kFloat32, {3, 3});
  auto idx = b.constant("indices", test::make_i64({2, 3}, {1, 0, 2, 0, 2, 1}));
  auto upd = b.constant("updates", test::make_f32({2, 3}, {1, 2, 3, 4, 5, 6}));
  b.output(b.node("Scatter", {x, idx, upd}, {{"axis", Attribute::make_int(0)}}, "scat"));
  Model m = built(b);
  test::expect_conversions_keep_outputs(m, {11, 16, 17, 10, 9}, {{"x", test::ramp({3, 3})}});
  EXPECT_EQ(test::count_op(test::converted(m, 11), "ScatterElements"), 1);
}

TEST(OpsetScatter, NegativeAxisAndReductionGoingDown) {
  GraphBuilder b("scatter", 16);
  auto x = b.input("x", DType::kFloat32, {2, 3});
  auto idx = b.constant("indices", test::make_i64({2, 1}, {2, 0}));
  auto upd = b.constant("updates", test::make_f32({2, 1}, {5, 6}));
  auto s = b.node("ScatterElements", {x, idx, upd}, {{"axis", Attribute::make_int(-1)}}, "neg");
  Model plain = [&] { GraphBuilder c = b; c.output(s); return built(c); }();
  test::expect_conversions_keep_outputs(plain, {10, 9}, {{"x", test::ramp({2, 3})}});
  b.output(b.node("ScatterElements", {s, idx, upd}, {{"axis", Attribute::make_int(1)},
                                                     {"reduction", Attribute::make_string("add")}}, "adds"));
  test::expect_conversion_fails(built(b), 15, {"'adds' (ScatterElements)", "reduction"});
}

}  // namespace
}  // namespace ew
