// The opset converter: rewrites a model from its default-domain (ai.onnx)
// opset to another one, up or down, within opsets 7..17 (ONNX 1.12, the
// libonnx Edgewise links, knows opsets up to 17).
//
// It walks one opset at a time. On each step the adapters of the ops whose
// form changes at that boundary rewrite their nodes (opset_adapter.h,
// adapter_list.h), in the main graph and every If/Loop/Scan body; every other
// op keeps its node and only the opset import changes. Afterwards it checks
// every node against the target opset's schema (op defined there, attributes
// known or equal to the old default, input and output counts, input types),
// raises the IR version when the target opset needs a newer one, re-infers
// shapes, and runs the ONNX checker with ONNX's strict shape inference on the
// result (ir/onnx_checker.h).
//
// What it covers, one adapter file per op family:
//   Upsample <-> Resize (scales attribute/input, roi, coordinate modes), Slice,
//   Clip / TopK / Dropout / Pad attributes <-> inputs, Squeeze / Unsqueeze /
//   ReduceSum / Split axes <-> inputs, Softmax / LogSoftmax / Hardmax axis
//   semantics, BatchNormalization (spatial, training outputs, mixed types),
//   Scatter <-> ScatterElements, LayerNormalization (decomposed below 17),
//   negative axes (below 11), ops and attributes that appeared later
//   (HardSwish, CastLike, Shape start/end, Constant value_*), and changed
//   defaults or optional inputs (RoiAlign, Gemm C, Pow exponent type,
//   Max/Min/Mean/Sum broadcasting).
// A node that cannot be expressed at the target fails the whole conversion
// with a Status that names it and says which opset it needs; the model is then
// left partly converted, so convert a copy when you need the original.
// Other domains (com.microsoft, ...) are left as they are.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew {

struct OpsetRewrite {
  std::string node;        // label of the node as it was, e.g. "'up1' (Upsample)"
  std::string op_type;     // its op before the rewrite
  int64_t from = 0, to = 0;  // the step: opset before -> after
  std::string change;      // what was done, e.g. "scales attribute -> input"
};

struct OpsetReport {
  int64_t from = 0, to = 0;                  // default-domain opset before and after
  int64_t ir_version_before = 0, ir_version_after = 0;
  std::vector<OpsetRewrite> rewrites;        // every adapter change, in step order
  std::map<std::string, int> version_only;   // op -> nodes carried over with only the import updated
  std::map<std::string, int> dropped_default_attributes;  // "ArgMax.select_last_index" -> nodes
  size_t nodes_before = 0, nodes_after = 0;  // including subgraph nodes
  bool checked = false;                      // passed shape inference and the ONNX checker

  // Rewrites grouped per op: op -> (change -> count).
  std::map<std::string, std::map<std::string, int>> per_op() const;
};

constexpr int64_t kMinConvertibleOpset = 7;
constexpr int64_t kMaxConvertibleOpset = 17;

// Converts `model` in place to default-domain opset `target`.
Status convert_opset(Model& model, int64_t target, OpsetReport* report = nullptr);

}  // namespace ew
