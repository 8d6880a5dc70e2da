// A graph transformation. Each pass lives in its own file, is listed once in
// pass_list.h, and runs when the optimization level is at least `min_level`:
//
//   level 0  nothing
//   level 1  constant and shape folding, dead code, Identity/Dropout/no-op Cast
//   level 2  fusions into ops ONNX Runtime also knows (FusedConv, QLinearConv, ...)
//
// run() rewrites the model's main graph in place and returns how many rewrites
// it made (0 when nothing matched). Passes never remove or rename a value that
// is a graph output or that a subgraph (If/Loop/Scan body) reads. The pass
// manager applies the same passes to bodies by lending each body out as the
// main graph of a scratch model (ir/body_rewrite.h), where values read from
// the outer scope are graph inputs, so a pass needs no subgraph logic.
#pragma once

#include "ir/graph.h"

namespace ew {

struct Pass {
  const char* name = "";
  int min_level = 1;
  Result<int> (*run)(Model& model) = nullptr;
};

}  // namespace ew
