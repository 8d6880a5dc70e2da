// Gradient of LayerNormalization: dX, dScale and dB from LayerNormalizationGrad.
// The forward's Mean and InvStdDev outputs are passed when the node has them
// (float32 stash); otherwise the grad op recomputes them from X, since a rule
// cannot add outputs to a forward node. The grad op's bias gradient has the
// normalized shape X.shape[axis:] and is summed to B's shape when B broadcasts.
#include "train/gradient_rule.h"

namespace ew::train {
namespace {

bool is_f32(const GradientContext& c, const std::string& v) {
  const ValueType* t = c.g.type(v);
  return t && t->dtype == DType::kFloat32;
}

Result<std::vector<std::string>> layer_norm_gradient(GradientContext& c) {
  for (size_t i = 1; i < c.output_grads.size(); ++i)
    if (!c.output_grads[i].empty()) return c.error("Mean and InvStdDev are not differentiated");
  const int64_t rank = c.rank(c.in(0));
  int64_t axis = c.node.attr_int("axis", -1);
  if (rank >= 0 && (axis < -rank || axis >= rank)) return c.error("axis out of range");
  std::vector<std::string> in{c.dy(), c.in(0), c.in(1)};
  const bool stats = c.node.outputs.size() >= 3 && !c.out(1).empty() && !c.out(2).empty() && is_f32(c, c.out(1)) &&
                     is_f32(c, c.out(2));
  if (stats) in.insert(in.end(), {c.out(1), c.out(2)});
  std::vector<std::string> d = c.g.add("LayerNormalizationGrad", in, 3,
                                       {{"axis", Attribute::make_int(axis)},
                                        {"epsilon", Attribute::make_float(c.node.attr_float("epsilon", 1e-5f))}},
                                       kGradDomain);
  std::vector<std::string> g(c.node.inputs.size());
  if (c.want(0)) g[0] = d[0];
  if (c.want(1)) g[1] = d[1];
  if (c.want(2)) {
    // dbias has X.shape[axis:]; B may broadcast to it.
    const ValueType *x = c.g.type(c.in(0)), *b = c.g.type(c.in(2));
    bool same = x && b && x->fully_known() && b->fully_known() && rank >= 0;
    if (same) same = std::vector<Dim>(x->dims.begin() + (axis < 0 ? axis + rank : axis), x->dims.end()) == b->dims;
    g[2] = same ? d[2] : c.g.grad_op("ReduceSumTo", {d[2], c.in(2)});
  }
  return g;
}

}  // namespace

EW_REGISTER_GRADIENT(.op_type = "LayerNormalization", .fn = layer_norm_gradient);

}  // namespace ew::train
