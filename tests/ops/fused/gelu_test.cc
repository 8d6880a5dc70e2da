#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace ew {
namespace {

TEST(MicrosoftGelu, MatchesErfForm) {
  std::vector<float> x = {-3, -1, 0, 0.5f, 2};
  auto y = test::run_node("Gelu", {test::make_f32({5}, x)}, {}, 1, 1, "com.microsoft");
  ASSERT_TRUE(y.is_ok()) << y.status().to_string();
  std::vector<float> got = test::values_f32((*y)[0]);
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_NEAR(got[i], 0.5 * x[i] * (1 + std::erf(x[i] / std::sqrt(2.0))), 1e-6);
}

}  // namespace
}  // namespace ew
