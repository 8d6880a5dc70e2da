// Listing and printing device profiles for `edgewise device`.
#pragma once

#include <string>

namespace ew::cli {

int list_profiles(bool json);
// A bundled profile name, "host" (measured and cached) or a .json path; printed as JSON with sources.
int show_profile(const std::string& name);

}  // namespace ew::cli
