// Fuzzes the tensor readers: .npy and serialized TensorProto.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/npy.h"
#include "core/tensor_proto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ew::set_max_tensor_bytes(int64_t{64} << 20);
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto npy = ew::parse_npy(bytes);
  if (npy.is_ok()) (void)ew::serialize_npy(*npy);
  auto pb = ew::parse_tensor_pb(bytes);
  if (pb.is_ok()) (void)pb->describe();
  return 0;
}
