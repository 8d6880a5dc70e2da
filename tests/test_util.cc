#include "test_util.h"

#include <filesystem>

namespace ew::test {

std::string source_dir() { return EW_SOURCE_DIR; }
std::string cli_path() { return EW_CLI_PATH; }

std::string shared_models_dir() {
  std::filesystem::path p = std::filesystem::path(EW_SOURCE_DIR) / ".." / "shared" / "models";
  return std::filesystem::is_directory(p) ? std::filesystem::canonical(p).string() : "";
}

}  // namespace ew::test
