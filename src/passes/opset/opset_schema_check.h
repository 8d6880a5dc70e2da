// The last step of an opset conversion: every default-domain node checked
// against its operator schema at the target opset (libonnx's registry), which
// is what lets ops whose versions changed without a semantic change convert
// by updating the opset import alone.
//
//  - the op must exist and not be deprecated at the target ("LayerNormalization
//    needs opset 17");
//  - an attribute the target's schema lacks is dropped when it holds the value
//    that was the default where it existed (ArgMax select_last_index=0), and
//    fails otherwise, naming the opset that introduced it;
//  - trailing absent inputs/outputs are trimmed, then input and output counts
//    and required inputs are checked;
//  - every input whose dtype is known must be one of the types the schema
//    accepts at the target (Relu on int8 needs opset 14).
#pragma once

#include <map>
#include <string>

#include "ir/graph.h"

namespace ew::opset {

// The first opset (<= 17) defining `op` in the default domain, or 0.
int64_t first_opset_of(const std::string& op);

// Checks (and trims) every node of `model` for opset `target`, having been
// converted from `source`. Counts dropped default attributes in `dropped`.
Status check_nodes_for_opset(Model& model, int64_t source, int64_t target, std::map<std::string, int>* dropped);

}  // namespace ew::opset
