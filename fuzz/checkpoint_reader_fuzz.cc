// Fuzzes the training-checkpoint reader (train/checkpoint.h). Each input is
// parsed twice: as given (the frame checks: magic, version, size, CRC-32), and
// with its size and CRC fields rewritten to match, so the fuzzer also reaches
// the section and tensor parsing behind the checksum. Every input must give a
// state or an error, never a crash; a state must serialize and read back.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "train/checkpoint.h"

namespace {

void parse_and_round_trip(const std::string& bytes) {
  auto state = ew::train::parse_checkpoint(bytes, "fuzz.ewck");
  if (!state.is_ok()) return;
  auto again = ew::train::serialize_checkpoint(*state);
  if (!again.is_ok() || !ew::train::parse_checkpoint(*again, "again.ewck").is_ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::set_max_tensor_bytes(int64_t{64} << 20);
  std::string bytes(reinterpret_cast<const char*>(data), size);
  parse_and_round_trip(bytes);
  if (bytes.size() >= 16) {  // "EWCK", version, file size, body: append a matching CRC
    const uint64_t total = bytes.size() + 4;
    std::memcpy(&bytes[8], &total, 8);
    const uint32_t crc = static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
    bytes.append(reinterpret_cast<const char*>(&crc), 4);
    parse_and_round_trip(bytes);
  }
  return 0;
}
