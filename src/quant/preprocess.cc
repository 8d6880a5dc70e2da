#include "quant/preprocess.h"

#include <set>
#include <vector>

#include "ir/body_rewrite.h"
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

// Runs the passes over model.graph to a fixpoint, counting rewrites in `r`.
Status preprocess_graph(Model& model, PreprocessReport& r) {
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
  return Status::ok();
}

}  // namespace

Status preprocess(Model& model, PreprocessReport* report) {
  PreprocessReport local;
  PreprocessReport& r = report ? *report : local;
  r = PreprocessReport{};
  r.nodes_before = model.graph.nodes.size();
  EW_RETURN_IF_ERROR(preprocess_graph(model, r));
  // Bodies too, with the outer initializers they read as constants, so weight
  // paths through them fold and BatchNorm folds into a body's Conv.
  BodyRewriteOptions lend;
  lend.lend_outer_initializers = true;
  EW_RETURN_IF_ERROR(rewrite_bodies(model, lend, [&](Model& body, const std::string&) { return preprocess_graph(body, r); }));
  EW_RETURN_IF_ERROR(refresh(model).with_context("preprocess: after the bodies: "));
  r.nodes_after = model.graph.nodes.size();
  return Status::ok();
}

}  // namespace ew::quant
