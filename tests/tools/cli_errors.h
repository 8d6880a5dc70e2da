// Bad-input checks for CLI tests: each command line must fail (non-zero exit)
// with output (stdout and stderr) that contains the paired text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace ew::test {

inline void expect_cli_errors(const std::vector<std::pair<std::string, std::string>>& cases) {
  for (const auto& [args, expected] : cases) {
    int status = -1;
    const std::string text = run_cli(args, &status, true);
    EXPECT_NE(status, 0) << args;
    EXPECT_NE(text.find(expected), std::string::npos) << args << "\n" << text;
  }
}

}  // namespace ew::test
