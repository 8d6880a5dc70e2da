// Tests that run once per backend available here (XNNPACK, oneDNN): derive
// the fixture from BackendParamTest and instantiate it with
// EW_INSTANTIATE_FOR_EVERY_BACKEND(Fixture).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends/backend.h"

namespace ew::test {

// The backend under test, set by the fixture.
inline std::string& backend_under_test() {
  static std::string name;
  return name;
}

inline std::vector<std::string> backends_here() {
  std::vector<std::string> names;
  for (const Backend* b : available_backends()) names.push_back(b->name());
  return names;
}

class BackendParamTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { backend_under_test() = GetParam(); }
};

}  // namespace ew::test

#define EW_INSTANTIATE_FOR_EVERY_BACKEND(Fixture)                                               \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture, ::testing::ValuesIn(::ew::test::backends_here()), \
                           [](const ::testing::TestParamInfo<std::string>& info) { return info.param; }); \
  GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Fixture)
