// Replays every input the fuzzers once crashed on (fuzz/regressions/TARGET/):
// each must now load or fail with a Status, never crash (CI runs this under
// ASan/UBSan too).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../fuzz/model_run_one.h"
#include "test_util.h"

namespace ew {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> regressions(const std::string& target) {
  std::vector<fs::path> files;
  fs::path dir = fs::path(test::source_dir()) / "fuzz" / "regressions" / target;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzRegressionsTest, ModelRunInputsNoLongerCrash) {
  auto files = regressions("model_run_fuzz");
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    ASSERT_FALSE(bytes.empty());
    fuzz::run_fuzzed_model(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

}  // namespace
}  // namespace ew
