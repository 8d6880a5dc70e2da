// The ONNX checker (libonnx) over an Edgewise model: what Python's
// onnx.checker.check_model(model, full_check=True) does. The model is exported
// as it would be saved (ir/onnx_export.h), checked structurally (names, opset
// imports, attributes, arity against the operator schemas of the imported
// opsets), and with full_check also run through ONNX's own shape inference in
// strict mode, which checks every input type against the operator's type
// constraints and fails on a type or shape that contradicts the declared one.
//
// libonnx here is ONNX 1.12: it knows the default domain up to opset 17. Nodes
// of domains it does not know (com.microsoft, ...) are not checked.
#pragma once

#include "ir/graph.h"

namespace ew {

// Ok, or an invalid-model Status carrying the checker's message (which names
// the node or value at fault). Never throws.
Status check_onnx_model(const Model& model, bool full_check = true);

}  // namespace ew
