// One input of model_run_fuzz: parse a model, load it, run it once on small
// deterministic random inputs. Shared by the fuzzer and by the test that
// replays the crashes it once found (fuzz/regressions/model_run_fuzz/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/onnx_import.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"

namespace ew::fuzz {

inline void run_fuzzed_model(const uint8_t* data, size_t size) {
  constexpr int64_t kMaxInputElements = 1 << 14;
  set_max_tensor_bytes(int64_t{16} << 20);
  auto model = parse_onnx(std::string(reinterpret_cast<const char*>(data), size), "/nonexistent");
  if (!model.is_ok()) return;
  SessionOptions options;
  options.tuning_cache = "none";  // measure backends, but keep no file per fuzzed model
  auto session = Session::create(std::move(model).value(), options);
  if (!session.is_ok()) return;
  auto inputs = random_inputs(**session);
  if (!inputs.is_ok()) return;
  int64_t total = 0;
  for (const auto& [name, t] : *inputs) total += t.numel();
  if (total > kMaxInputElements) return;
  (void)(*session)->run(*inputs);
}

}  // namespace ew::fuzz
