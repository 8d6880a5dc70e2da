#include "quant/qdq_quantizer.h"

#include <set>

#include "ir/onnx_export.h"
#include "passes/pass_manager.h"
#include "quant/qdq_plan.h"
#include "quant/qdq_rewrite.h"
#include "ops/shape_inference.h"

namespace ew::quant {

Result<std::vector<std::string>> tensors_to_calibrate(const Model& model, const QuantizeOptions& options) {
  Model copy = model;
  EW_ASSIGN_OR_RETURN(QdqPlan plan, plan_qdq(copy, options));
  std::set<std::string> sources;
  for (const auto& [tensor, source] : plan.activations) sources.insert(source);
  return std::vector<std::string>(sources.begin(), sources.end());
}

Result<int64_t> serialized_bytes(const Model& model) {
  EW_ASSIGN_OR_RETURN(std::string bytes, serialize_onnx(model));
  return static_cast<int64_t>(bytes.size());
}

Status quantize_static(Model& model, const RangeMap& ranges, const QuantizeOptions& options, QuantizeReport* report) {
  QuantizeReport local;
  QuantizeReport& r = report ? *report : local;
  r.mode = QuantMode::kStatic;
  r.ops_before = op_histogram(model.graph);
  if (report) {
    EW_ASSIGN_OR_RETURN(r.bytes_before, serialized_bytes(model));
  }
  EW_ASSIGN_OR_RETURN(QdqPlan plan, plan_qdq(model, options));
  EW_RETURN_IF_ERROR(apply_qdq(model, plan, ranges, options));
  EW_RETURN_IF_ERROR(infer_shapes(model).with_context("static quantization: shape inference of the result: "));
  r.layers = std::move(plan.layers);
  r.ops_after = op_histogram(model.graph);
  if (report) {
    EW_ASSIGN_OR_RETURN(r.bytes_after, serialized_bytes(model));
  }
  return Status::ok();
}

}  // namespace ew::quant
