// Fuzzes the ONNX model loader: parse, validate (cycles, dangling names,
// types, external-data paths), bind kernels and run every op's static shape
// inference on the fuzzed graph. Kernels are exercised by the conformance and
// model tests under ASan/UBSan, not here.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/onnx_import.h"
#include "runtime/session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::set_max_tensor_bytes(int64_t{64} << 20);
  auto model = ew::parse_onnx(std::string(reinterpret_cast<const char*>(data), size), "/nonexistent");
  if (!model.is_ok()) return 0;
  ew::SessionOptions options;
  options.tuning_cache = "none";  // measure backends, but keep no file per fuzzed model
  auto session = ew::Session::create(std::move(model).value(), options);
  (void)session;
  return 0;
}
