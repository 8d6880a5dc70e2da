// Static shape and type inference over a whole model: propagates declared
// input types (symbolic dims stay symbolic) and constant values through every
// op's infer function, and records the result in graph.value_types.
//
// It lives with the op registry rather than in ir/: it drives every op's infer
// function, and ops sit above ir. Passes, quantization, the runtime and the
// device models all use it from above.
#pragma once

#include "ir/graph.h"

namespace ew {

// Fills model.graph.value_types (and output types left undeclared). Ops
// without an implementation are skipped, leaving their outputs unknown.
Status infer_shapes(Model& model);

}  // namespace ew

#include <map>

namespace ew {

// Replaces symbolic dims of the graph inputs with values: `dims[name]` when
// given, else `fallback` (when fallback >= 0). Returns the bindings used.
std::map<std::string, int64_t> bind_symbolic_dims(Model& model, const std::map<std::string, int64_t>& dims,
                                                  int64_t fallback = 1);

}  // namespace ew
