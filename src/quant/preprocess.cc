#include "quant/preprocess.h"

#include <set>
#include <vector>

#include "passes/pass_list.h"
#include "ops/shape_inference.h"

namespace ew::quant {
namespace {

constexpr int kMaxIterations = 8;

// The optimizer passes that keep standard ONNX ops, in run order.
std::vector<const Pass*> preprocess_passes() {
  return {&kIdentityElimination, &kShapeFolding,   &kConstantFolding, &kDeadCodeElimination,
          &kConvBatchNormFusion, &kBiasAddFusion, &kMatMulAddFusion};
}

Status refresh(Model& model) {
  EW_RETURN_IF_ERROR(model.graph.sort_and_validate());
  std::set<std::string> produced;
  for (const auto& node : model.graph.nodes) produced.insert(node.outputs.begin(), node.outputs.end());
  auto& types = model.graph.value_types;
  for (auto it = types.begin(); it != types.end();) it = produced.count(it->first) ? std::next(it) : types.erase(it);
  return infer_shapes(model);
}

}  // namespace

Status preprocess(Model& model, PreprocessReport* report) {
  PreprocessReport local;
  PreprocessReport& r = report ? *report : local;
  r = PreprocessReport{};
  r.nodes_before = model.graph.nodes.size();
  EW_RETURN_IF_ERROR(refresh(model).with_context("preprocess: "));
  for (int it = 0; it < kMaxIterations; ++it) {
    int changed = 0;
    for (const Pass* p : preprocess_passes()) {
      auto n = p->run(model);
      if (!n.is_ok()) return n.status().with_context(std::string("preprocess: pass ") + p->name + ": ");
      if (*n == 0) continue;
      r.rewrites[p->name] += *n;
      changed += *n;
      EW_RETURN_IF_ERROR(refresh(model).with_context(std::string("preprocess: after pass ") + p->name + ": "));
    }
    if (changed == 0) break;
  }
  r.nodes_after = model.graph.nodes.size();
  return Status::ok();
}

}  // namespace ew::quant
