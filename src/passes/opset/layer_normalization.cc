// LayerNormalization exists from opset 17. Going down it is decomposed into
// the primitive ops of its ONNX function body:
//   mean = ReduceMean(X, axes); d = X - mean; var = ReduceMean(d * d, axes)
//   std = Sqrt(var + epsilon); Y = (d / std) * Scale + B
// computed in the stash type (float32 unless stash_type says otherwise), with
// Casts when X has another type; the optional Mean and InvStdDev outputs are
// mean and 1/std. axes = [axis, ..., rank-1]: a negative axis needs no rank.
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Result<std::vector<int64_t>> normalized_axes(AdapterContext& c) {
  const int64_t axis = c.node.attr_int("axis", -1), r = c.rank(c.node.inputs[0]);
  std::vector<int64_t> axes;
  if (axis < 0) {
    for (int64_t a = axis; a < 0; ++a) axes.push_back(a);
    return axes;
  }
  if (r < 0) return c.fail("axis " + std::to_string(axis) + " needs the input's rank, which is unknown");
  for (int64_t a = axis; a < r; ++a) axes.push_back(a);
  if (axes.empty()) return c.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(r));
  return axes;
}

Status decompose(AdapterContext& c) {
  if (c.node.num_inputs() < 2) return c.fail("LayerNormalization needs X and Scale");
  const DType t = c.dtype(c.node.inputs[0]);
  if (t == DType::kUndefined) return c.fail("the input's type is unknown; the decomposition computes in a known type");
  const DType stash = c.node.attr_int("stash_type", 1) == 1 ? DType::kFloat32 : t;
  EW_ASSIGN_OR_RETURN(std::vector<int64_t> axes, normalized_axes(c));
  EW_ASSIGN_OR_RETURN(Tensor eps, scalar_tensor(stash, c.node.attr_float("epsilon", 1e-5f)));
  const std::map<std::string, Attribute> reduce{{"axes", ints_attr(axes)}, {"keepdims", int_attr(1)}};
  const auto cast = [&](const std::string& v, DType to) {
    return c.add_before("Cast", {v}, {{"to", int_attr(static_cast<int64_t>(to))}});
  };
  const std::vector<std::string> in = c.node.inputs, out = c.node.outputs;
  const std::string x = stash == t ? in[0] : cast(in[0], stash);
  const std::string mean = c.add_before("ReduceMean", {x}, reduce);
  const std::string d = c.add_before("Sub", {x, mean});
  const std::string var = c.add_before("ReduceMean", {c.add_before("Mul", {d, d})}, reduce);
  const std::string std_dev =
      c.add_before("Sqrt", {c.add_before("Add", {var, c.add_constant(c.node_id() + "_epsilon", std::move(eps))})});
  std::string normalized = c.add_before("Div", {d, std_dev});
  if (stash != t) normalized = cast(normalized, t);
  const bool has_bias = c.node.has_input(2);
  if (has_bias) c.add_after_into("Add", {c.add_after("Mul", {normalized, in[1]}), in[2]}, out[0]);
  else c.add_after_into("Mul", {normalized, in[1]}, out[0]);
  if (out.size() > 1 && !out[1].empty()) c.add_after_into("Identity", {mean}, out[1]);
  if (out.size() > 2 && !out[2].empty()) c.add_after_into("Reciprocal", {std_dev}, out[2]);
  c.remove_node();
  c.note("decomposed into ReduceMean/Sub/Mul/Add/Sqrt/Div (LayerNormalization needs opset 17)");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kLayerNormAdapters = {
    {"LayerNormalization", 17, nullptr, decompose},
};

}  // namespace ew::opset
