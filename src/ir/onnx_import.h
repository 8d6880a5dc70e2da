// ONNX ModelProto -> Edgewise IR. All validation of untrusted model files
// happens here (and in Graph::sort_and_validate), at the trust boundary.
#pragma once

#include <string>

#include "ir/graph.h"

namespace ew {

// Reads an .onnx file; external data is resolved relative to its folder.
Result<Model> load_onnx(const std::string& path);
// Parses serialized ModelProto bytes; `base_dir` locates external data.
Result<Model> parse_onnx(const std::string& bytes, const std::string& base_dir = "");

}  // namespace ew
