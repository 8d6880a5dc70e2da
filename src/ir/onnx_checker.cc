#include "ir/onnx_checker.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <exception>

#include "ir/onnx_export.h"

namespace ew {

Status check_onnx_model(const Model& model, bool full_check) {
  EW_ASSIGN_OR_RETURN(std::string bytes, serialize_onnx(model));
  onnx::ModelProto proto;
  if (!proto.ParseFromString(bytes)) return internal_error("the exported model does not parse back as a ModelProto");
  try {
    onnx::checker::check_model(proto);
    if (full_check) {
      // check_type: inputs against type constraints; error_mode 1: node-level inference errors are fatal.
      onnx::ShapeInferenceOptions options(true, 1, false);
      onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), options);
    }
  } catch (const std::exception& e) {
    return invalid_model(std::string("ONNX checker: ") + e.what());
  }
  return Status::ok();
}

}  // namespace ew
