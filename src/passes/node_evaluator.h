// Evaluates one node on constant inputs with the reference kernels, as the
// executor would at run time. Used by constant folding.
#pragma once

#include <vector>

#include "ir/graph.h"

namespace ew {

// The node's opset: the model's import of its domain (1 for unimported custom domains).
int64_t node_opset(const Model& model, const Node& node);

// Runs `node` on `inputs` (nullptr for absent optional inputs). Fails when the
// op is unknown, an output shape is not fixed by inference, or the outputs
// together exceed `max_output_bytes`.
Result<std::vector<Tensor>> evaluate_node(const Model& model, const Node& node,
                                          const std::vector<const Tensor*>& inputs, size_t max_output_bytes);

}  // namespace ew
