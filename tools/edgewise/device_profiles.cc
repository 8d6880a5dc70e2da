// `edgewise device --profiles` and `--profile NAME|host|FILE.json`: the device
// profiles the cost models read (src/device/device_profile.h), listed or
// printed with every number's source.
#include "device_profiles.h"

#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "arguments.h"
#include "device/device_profile.h"

namespace ew::cli {

int list_profiles(bool json) {
  nlohmann::json all = nlohmann::json::array();
  if (!json) std::cout << std::left << std::setw(18) << "profile" << std::setw(13) << "tier" << "description\n";
  for (const std::string& name : list_device_profiles()) {
    if (name == "host") continue;  // measured on demand, not listed from a file
    auto p = load_device_profile(name);
    if (!p.is_ok()) return report_error(p.status());
    if (json) {
      all.push_back({{"name", p->name}, {"tier", tier_name(p->tier)}, {"description", p->description}});
      continue;
    }
    std::cout << std::left << std::setw(18) << p->name << std::setw(13) << tier_name(p->tier)
              << p->description << "\n";
  }
  if (json) std::cout << all.dump(2) << "\n";
  else std::cout << "\n(`host` is measured on this machine on first use and cached; show one with --profile NAME)\n";
  return 0;
}

int show_profile(const std::string& name) {
  auto p = load_device_profile(name);
  if (!p.is_ok()) return report_error(p.status());
  std::cout << to_json(*p).dump(2) << "\n";
  return 0;
}

}  // namespace ew::cli
