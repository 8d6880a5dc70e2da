// Fuzzes loading and running: a fuzzed model that loads is run once on
// deterministic random inputs (small ones only), so every kernel meets
// fuzzed attributes and shapes under ASan/UBSan.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/onnx_import.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"

namespace {
constexpr int64_t kMaxInputElements = 1 << 14;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::set_max_tensor_bytes(int64_t{16} << 20);
  auto model = ew::parse_onnx(std::string(reinterpret_cast<const char*>(data), size), "/nonexistent");
  if (!model.is_ok()) return 0;
  auto session = ew::Session::create(std::move(model).value());
  if (!session.is_ok()) return 0;
  auto inputs = ew::random_inputs(**session);
  if (!inputs.is_ok()) return 0;
  int64_t total = 0;
  for (const auto& [name, t] : *inputs) total += t.numel();
  if (total > kMaxInputElements) return 0;
  (void)(*session)->run(*inputs);
  return 0;
}
