// Fuzzes the JSON files Edgewise reads back: device profiles
// (data/devices/*.json, the host-profile cache, a user's --device file),
// fitted latency models and their kernel samples, and the tuning cache's
// measured backend choices. Every input must give a value or an error, never
// a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "backends/tuning_cache.h"
#include "device/device_profile.h"
#include "device/kernel_samples.h"
#include "device/latency_predictor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  auto profile = ew::device_profile_from_json(j, "fuzz.json");
  if (profile.is_ok()) (void)ew::to_json(*profile).dump();
  (void)ew::latency_model_from_json(j, "fuzz.json");
  (void)ew::samples_from_json(j, "fuzz.json");
  const bool keyed = j.is_object() && j.contains("key") && j["key"].is_string();
  (void)ew::tuning_from_json(j, keyed ? j["key"].get<std::string>() : "key");
  return 0;
}
