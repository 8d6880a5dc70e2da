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
  // ONNX 1.12's checker requires a shape on every main-graph output; the IR
  // spec makes it optional and later checkers accept its absence. Outputs of
  // unknown rank are therefore left out of the checked copy (the nodes making
  // them are still checked).
  // But every graph input and output needs an element type: ONNX Runtime
  // refuses a model with one of type 0 ("Invalid tensor data type 0").
  for (const auto* list : {&proto.graph().input(), &proto.graph().output()})
    for (const auto& v : *list)
      if (v.type().has_tensor_type() && v.type().tensor_type().elem_type() == 0)
        return invalid_model("ONNX checker: graph input or output '" + v.name() + "' has no element type");
  auto* outputs = proto.mutable_graph()->mutable_output();
  for (int i = outputs->size() - 1; i >= 0; --i) {
    const auto& t = outputs->Get(i).type();
    if (t.has_tensor_type() && !t.tensor_type().has_shape()) outputs->DeleteSubrange(i, 1);
  }
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
