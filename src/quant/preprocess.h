// Preparation of a float model for quantization, as ONNX Runtime's
// quant_pre_process: fold constants and shapes, drop dead code and
// pass-through nodes, fold BatchNormalization into Conv and constant bias Adds
// into Conv/Gemm, turn 2-D MatMul + Add into Gemm. Only standard ONNX ops come
// out (no com.microsoft fusions), so every remaining Conv/Gemm/MatMul is a
// quantization site with its weights and bias as constants. If/Loop/Scan
// bodies are preprocessed too (ir/body_rewrite.h), outer initializers they
// read counting as constants there.
#pragma once

#include <map>
#include <string>

#include "ir/graph.h"

namespace ew::quant {

struct PreprocessReport {
  std::map<std::string, int> rewrites;  // pass name -> rewrites made
  size_t nodes_before = 0, nodes_after = 0;
};

// Rewrites `model` in place to a fixpoint and re-infers shapes. Fails naming
// the pass when a pass or the shape inference fails.
Status preprocess(Model& model, PreprocessReport* report = nullptr);

}  // namespace ew::quant
