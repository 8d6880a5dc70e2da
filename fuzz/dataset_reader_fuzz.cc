// Fuzzes the calibration-data readers: .npz archives (zip, stored or
// deflated members) and IDX files (the MNIST / Fashion-MNIST format).
#include <cstddef>
#include <cstdint>
#include <string>

#include "quant/calibration_source.h"
#include "data/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::set_max_tensor_bytes(int64_t{64} << 20);
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto npz = ew::quant::parse_npz(bytes, "fuzz.npz");
  if (npz.is_ok())
    for (const auto& [name, t] : *npz) (void)t.describe();
  auto idx = ew::parse_idx(bytes, "fuzz.idx", 16);
  if (idx.is_ok()) (void)idx->describe();
  return 0;
}
