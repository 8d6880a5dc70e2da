// Finding and loading device profiles: bundled names, "host", or a file path.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "device/device_profile.h"
#include "device/host_profile.h"

namespace ew {
namespace fs = std::filesystem;

namespace {

std::string executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

bool has_devices(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "devices", ec);
}

Result<DeviceProfile> load_file(const fs::path& path) {
  std::string origin = path.filename().string();
  std::ifstream in(path);
  if (!in) return not_found("device profile '" + path.string() + "': cannot open");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid_argument(origin + ": not valid JSON");
  return device_profile_from_json(j, origin);
}

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || (s.size() > 5 && s.substr(s.size() - 5) == ".json");
}

}  // namespace

std::string device_data_dir() {
  if (const char* env = std::getenv("EW_DATA_DIR"); env && *env) return env;
#ifdef EW_DATA_DIR
  if (has_devices(EW_DATA_DIR)) return EW_DATA_DIR;
#endif
  std::string exe = executable_dir();
  if (!exe.empty()) {
    for (fs::path dir : {fs::path(exe) / "data", fs::path(exe) / ".." / "data", fs::path(exe) / ".." / "share" / "edgewise"})
      if (has_devices(dir)) return dir.lexically_normal().string();
  }
  return "data";
}

Result<DeviceProfile> load_device_profile(const std::string& name_or_path) {
  if (name_or_path == "host") return load_or_measure_host_profile(HostProfileOptions{});
  if (looks_like_path(name_or_path)) return load_file(name_or_path);
  fs::path path = fs::path(device_data_dir()) / "devices" / (name_or_path + ".json");
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    std::string known;
    for (const std::string& n : list_device_profiles()) known += (known.empty() ? "" : ", ") + n;
    return not_found("unknown device profile '" + name_or_path + "' (looked in " + path.parent_path().string() +
                     "; known: " + known + ")");
  }
  EW_ASSIGN_OR_RETURN(DeviceProfile p, load_file(path));
  if (p.name != name_or_path)
    return invalid_argument(path.filename().string() + ": name: '" + p.name + "' differs from the file name");
  return p;
}

std::vector<std::string> list_device_profiles() {
  std::vector<std::string> names;
  std::error_code ec;
  fs::path dir = fs::path(device_data_dir()) / "devices";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json") names.push_back(it->path().stem().string());
  std::sort(names.begin(), names.end());
  names.push_back("host");
  return names;
}

}  // namespace ew
