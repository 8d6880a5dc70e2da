#include "quant/qdq_quantizer.h"

#include <set>

#include "ir/onnx_export.h"
#include "passes/pass_manager.h"
#include "quant/body_quantization.h"
#include "quant/qdq_plan.h"
#include "quant/qdq_rewrite.h"
#include "ops/shape_inference.h"

namespace ew::quant {

namespace {

// A body part that never ran during calibration (an If branch not taken) has
// no ranges: its activations stay float, its weights are still quantized.
void drop_uncalibrated(QdqPlan& plan, const RangeMap& ranges) {
  for (auto it = plan.activations.begin(); it != plan.activations.end();)
    it = ranges.count(it->second) ? std::next(it) : plan.activations.erase(it);
}

}  // namespace

Result<std::vector<std::string>> tensors_to_calibrate(const Model& model, const QuantizeOptions& options) {
  Model copy = model;  // bodies are shared, but quantize_bodies rewrites copies of them
  std::set<std::string> sources;
  auto collect = [&](Model& m, const QuantizeOptions& o, std::vector<LayerQuantReport>&) -> Status {
    EW_ASSIGN_OR_RETURN(QdqPlan plan, plan_qdq(m, o));
    for (const auto& [tensor, source] : plan.activations) sources.insert(source);
    return Status::ok();
  };
  std::vector<LayerQuantReport> unused;
  EW_RETURN_IF_ERROR(collect(copy, options, unused));
  EW_RETURN_IF_ERROR(quantize_bodies(copy, options, collect, nullptr));
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
  r.layers = std::move(plan.layers);
  auto quantize_body = [&](Model& body, const QuantizeOptions& o, std::vector<LayerQuantReport>& layers) -> Status {
    EW_ASSIGN_OR_RETURN(QdqPlan p, plan_qdq(body, o));
    drop_uncalibrated(p, ranges);
    EW_RETURN_IF_ERROR(apply_qdq(body, p, ranges, o));
    layers = std::move(p.layers);
    return Status::ok();
  };
  EW_RETURN_IF_ERROR(quantize_bodies(model, options, quantize_body, &r.layers));
  EW_RETURN_IF_ERROR(infer_shapes(model).with_context("static quantization: shape inference of the result: "));
  r.ops_after = op_histogram(model.graph);
  if (report) {
    EW_ASSIGN_OR_RETURN(r.bytes_after, serialized_bytes(model));
  }
  return Status::ok();
}

}  // namespace ew::quant
