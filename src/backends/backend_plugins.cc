#include "backends/backend_plugins.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace ew {

namespace {

constexpr const char* kPlugins[] = {"libedgewise_onednn.so"};

// oneDNN runs on GNU OpenMP, whose idle threads spin for 300,000 pauses
// (milliseconds) after every parallel region before they sleep. XNNPACK and
// our kernels run on the session's pthreadpool on the same cores, so in a
// plan that alternates between them that spinning steals the cores. Unless
// the user chose a policy, OpenMP threads spin some tens of microseconds:
// consecutive oneDNN primitives still find them awake (measured on tiny BERT,
// MobileNetV2, fashion_mbnet and ResNet-18 at 2 threads: 1,000 beat 300,
// 3,000, 5,000 and 20,000). OpenMP reads this when it starts, which is why
// oneDNN is loaded here and not linked.
constexpr const char* kGompSpinCount = "1000";

std::vector<std::string>& errors() {
  static std::vector<std::string> e;
  return e;
}

std::string library_dir() {
  Dl_info info{};
  if (!dladdr(reinterpret_cast<void*>(&load_backend_plugins), &info) || !info.dli_fname) return "";
  return std::filesystem::path(info.dli_fname).parent_path().string();
}

}  // namespace

void load_backend_plugins() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!std::getenv("OMP_WAIT_POLICY") && !std::getenv("GOMP_SPINCOUNT")) setenv("GOMP_SPINCOUNT", kGompSpinCount, 0);
    const char* env = std::getenv("EW_PLUGIN_DIR");
    const std::string dir = env && *env ? env : library_dir();
    for (const char* name : kPlugins) {
      const std::string path = (std::filesystem::path(dir) / name).string();
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        errors().push_back(path + ": not built");
        continue;
      }
      if (!dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
        const char* why = dlerror();
        errors().push_back(path + ": " + (why ? why : "cannot be loaded"));
      }
    }
  });
}

std::vector<std::string> backend_plugin_errors() {
  load_backend_plugins();
  return errors();
}

}  // namespace ew
