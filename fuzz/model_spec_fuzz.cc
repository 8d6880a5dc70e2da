// Fuzzes the JSON model specs of the training engine's model builder
// (data/specs/*.json, a user's spec file). Every input must give a spec or
// an error, never a crash; a spec that parses must survive a round trip
// through model_spec_to_json, and a small one must build.
#include <cstddef>
#include <cstdint>
#include <string>

#include "train/model_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto spec = ew::train::parse_model_spec(text, "fuzz.json");
  if (!spec.is_ok()) return 0;
  auto again = ew::train::parse_model_spec(ew::train::model_spec_to_json(*spec), "round trip");
  if (!again.is_ok() || !(*again == *spec)) __builtin_trap();
  auto params = ew::train::count_parameters(*spec);
  if (!params.is_ok()) __builtin_trap();
  if (*params <= 20000 && !ew::train::build_model(*spec).is_ok()) __builtin_trap();
  return 0;
}
