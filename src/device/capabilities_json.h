// DeviceCapabilities as JSON: every Reading becomes
// {"value": V or null, "source": "read"|"cpuinfo"|"unknown"|"unreadable"|"unparsed", "note": "..."}.
#pragma once

#include <nlohmann/json.hpp>

#include "device/capabilities.h"

namespace ew::device {

nlohmann::json capabilities_to_json(const DeviceCapabilities& c);

}  // namespace ew::device
