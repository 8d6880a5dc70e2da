// Changes of defaults, optional inputs and input rules that keep the op:
//   Max/Min/Mean/Sum 8   numpy broadcasting; before it all inputs had one shape
//   Scan 9               the batch axis and sequence_lens input went away:
//                        no conversion either way, a clear error instead
//   Gemm 11              C became optional (a zero C is added going down)
//   Pow 12               the exponent may have its own type (going down it is
//                        cast to the base's type)
//   (De)QuantizeLinear 13  per-axis scales (going down they must be per-tensor)
//   Reshape 14           allowzero (1 only converts when the shape has no 0)
//   RoiAlign 16          coordinate_transformation_mode, default half_pixel;
//                        RoiAlign-10 was output_half_pixel, which going up is
//                        stated and going down required
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status same_shapes_required(AdapterContext& c) {
  const ValueType* first = nullptr;
  for (const auto& in : c.node.inputs) {
    const ValueType* t = c.type(in);
    if (!t || !t->has_shape)
      return c.fail("input '" + in + "' has an unknown shape; before opset 8 all inputs must have the same shape");
    if (first && !(first->dims == t->dims))
      return c.fail("inputs of different shapes (" + first->to_string() + ", " + t->to_string() + ") broadcast only from opset 8");
    first = t;
  }
  return Status::ok();
}

Status scan_batch_changed(AdapterContext& c) {
  return c.fail("Scan-8 scans a batch axis with sequence_lens, Scan-9 does not; the converter does not rewrite Scan bodies");
}

Status per_tensor_required(AdapterContext& c) {
  const Tensor* scale = c.constant(c.node.num_inputs() > 1 ? c.node.inputs[1] : "");
  const ValueType* t = scale ? nullptr : c.type(c.node.num_inputs() > 1 ? c.node.inputs[1] : "");
  const bool scalar = scale ? scale->numel() == 1 : t && t->fully_known() && t->dims.size() <= 1 &&
                                                        (t->dims.empty() || t->dims[0].value == 1);
  if (!scalar) return c.fail("per-axis (or unknown-size) scales need opset 13");
  c.node.attributes.erase("axis");
  return Status::ok();
}

Status gemm_c_required(AdapterContext& c) {
  if (c.node.has_input(2)) return Status::ok();
  const DType t = c.dtype(c.node.inputs[0]);
  if (t == DType::kUndefined) return c.fail("C is absent and A's type is unknown; Gemm before opset 11 needs C");
  EW_ASSIGN_OR_RETURN(Tensor zero, scalar_tensor(t, 0.0));
  c.set_input(2, c.add_constant(c.node_id() + "_C", std::move(zero)));
  c.note("zero C added (C is optional from opset 11)");
  return Status::ok();
}

Status pow_exponent_cast(AdapterContext& c) {
  if (c.node.num_inputs() != 2) return c.fail("Pow takes two inputs");
  const DType base = c.dtype(c.node.inputs[0]), exp = c.dtype(c.node.inputs[1]);
  if (base == DType::kUndefined || exp == DType::kUndefined)
    return c.fail("the input types are unknown; before opset 12 the exponent must have the base's type");
  if (base == exp) return Status::ok();
  c.node.inputs[1] = c.add_before("Cast", {c.node.inputs[1]}, {{"to", int_attr(static_cast<int64_t>(base))}});
  c.note("exponent cast to the base's type (mixed types need opset 12)");
  return Status::ok();
}

Status reshape_allowzero_removed(AdapterContext& c) {
  if (c.node.attr_int("allowzero", 0) == 0) return Status::ok();
  const Tensor* shape = c.constant(c.node.num_inputs() > 1 ? c.node.inputs[1] : "");
  if (!shape) return c.fail("allowzero=1 with a shape computed at run time needs opset 14");
  for (int64_t v : shape->to_int64_vector())
    if (v == 0) return c.fail("allowzero=1 with a 0 in the shape needs opset 14");
  c.node.attributes.erase("allowzero");
  c.note("allowzero dropped (the shape has no 0)");
  return Status::ok();
}

Status roi_align_mode_stated(AdapterContext& c) {
  c.node.attributes["coordinate_transformation_mode"] = string_attr("output_half_pixel");
  c.note("coordinate_transformation_mode output_half_pixel (RoiAlign-10 semantics; the default became half_pixel)");
  return Status::ok();
}

Status roi_align_mode_required(AdapterContext& c) {
  const std::string mode = c.node.attr_string("coordinate_transformation_mode", "half_pixel");
  if (mode != "output_half_pixel") return c.fail("coordinate_transformation_mode '" + mode + "' needs opset 16");
  c.node.attributes.erase("coordinate_transformation_mode");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kChangedDefaultAdapters = {
    {"Max", 8, nullptr, same_shapes_required},
    {"Min", 8, nullptr, same_shapes_required},
    {"Mean", 8, nullptr, same_shapes_required},
    {"Sum", 8, nullptr, same_shapes_required},
    {"Scan", 9, scan_batch_changed, scan_batch_changed},
    {"Gemm", 11, nullptr, gemm_c_required},
    {"Pow", 12, nullptr, pow_exponent_cast},
    {"QuantizeLinear", 13, nullptr, per_tensor_required},
    {"DequantizeLinear", 13, nullptr, per_tensor_required},
    {"Reshape", 14, nullptr, reshape_allowzero_removed},
    {"RoiAlign", 16, roi_align_mode_stated, roi_align_mode_required},
};

}  // namespace ew::opset
