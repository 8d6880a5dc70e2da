// Fuzzes the ONNX model loader end to end: parse, validate, bind kernels,
// infer shapes and, for small inputs, run once.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/onnx_import.h"
#include "runtime/random_inputs.h"
#include "runtime/session.h"

namespace {
constexpr int64_t kMaxInputElements = 1 << 16;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::set_max_tensor_bytes(int64_t{64} << 20);
  auto model = ew::parse_onnx(std::string(reinterpret_cast<const char*>(data), size), "/nonexistent");
  if (!model.is_ok()) return 0;
  auto session = ew::Session::create(std::move(model).value());
  if (!session.is_ok()) return 0;
  auto inputs = ew::random_inputs(**session);
  if (!inputs.is_ok()) return 0;
  int64_t total = 0;
  for (const auto& [name, t] : *inputs) total += t.numel();
  if (total > kMaxInputElements) return 0;
  auto outputs = (*session)->run(*inputs);
  (void)outputs;
  return 0;
}
