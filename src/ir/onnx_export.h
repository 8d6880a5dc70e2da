// Edgewise IR -> ONNX ModelProto. load -> export -> load gives the same graph.
#pragma once

#include <string>

#include "ir/graph.h"

namespace ew {

// Serializes to ModelProto bytes. Initializers are stored inline as raw_data.
Result<std::string> serialize_onnx(const Model& model);
// Writes an .onnx file. With `external_data_threshold` > 0, initializers of at
// least that many bytes go to `<file>.data` beside it (the ONNX external-data layout).
Status save_onnx(const Model& model, const std::string& path, size_t external_data_threshold = 0);

}  // namespace ew
