// Helpers shared by tests: locating ../shared/models and building small models.
#pragma once

#include <string>

namespace ew::test {

// Folder of the shared models (../shared/models beside the repo), or "" when absent.
std::string shared_models_dir();
std::string source_dir();
std::string cli_path();

}  // namespace ew::test

// Skips the current test with a clear message when the shared models are absent.
#define EW_REQUIRE_SHARED_MODELS()                                                        \
  do {                                                                                    \
    if (::ew::test::shared_models_dir().empty())                                          \
      GTEST_SKIP() << "../shared/models is absent; this test needs the shared models";   \
  } while (0)
