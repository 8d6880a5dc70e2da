// Upsample and Resize across opsets 7..13.
//
//   Upsample 7 -> 9    scales attribute -> constant input
//   Upsample 9 -> 10   Upsample is deprecated: it becomes Resize-10, which has
//                      the same semantics (asymmetric coordinates, nearest =
//                      floor when upsampling)
//   Resize 10 -> 11    roi input added; coordinate_transformation_mode
//                      "asymmetric" and, for nearest, nearest_mode "floor"
//                      (upsampling) or "ceil" (downsampling) keep Resize-10's
//                      results: Resize-11's defaults (half_pixel,
//                      round_prefer_floor) would change them
//   Resize 11 -> 13    roi and scales become optional: nothing to rewrite
//
// Going down undoes each step, and fails where the older form cannot say the
// same thing: coordinate modes other than asymmetric, cubic, nearest rounding
// that is not floor/ceil, sizes on an input of unknown shape, scales computed
// at run time where an attribute is needed, or downsampling with Upsample.
#include <cmath>

#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

// -1: every scale < 1 (or 1); +1: every scale >= 1; 0: mixed or unknown.
int scale_direction(const Tensor* scales) {
  if (!scales || scales->numel() == 0) return 0;
  bool up = true, down = true;
  for (int64_t i = 0; i < scales->numel(); ++i) {
    double s = scales->get_double(i);
    up = up && s >= 1.0;
    down = down && s <= 1.0;
  }
  return up ? 1 : down ? -1 : 0;
}

std::string resize_mode(const Node& n) {
  std::string m = n.attr_string("mode", "nearest");
  return m == "bilinear" ? "linear" : m;
}

Status upsample_scales_to_input(AdapterContext& c) {
  const Attribute* a = c.node.attr("scales");
  if (!a || a->kind != Attribute::Kind::kFloats) return c.fail("Upsample-7 needs a 'scales' attribute");
  c.set_input(1, c.add_constant(c.node_id() + "_scales", float_vector(a->floats)));
  c.node.attributes.erase("scales");
  c.note("scales attribute -> input");
  return Status::ok();
}

Status upsample_scales_to_attribute(AdapterContext& c) {
  EW_ASSIGN_OR_RETURN(const Tensor* scales, c.constant_input(1, "scales"));
  if (!scales) return c.fail("Upsample-9 needs a scales input");
  c.node.attributes["scales"] = Attribute::make_floats(float_values(*scales));
  c.erase_input(1);
  c.note("scales input -> attribute");
  return Status::ok();
}

Status upsample_to_resize(AdapterContext& c) {
  c.node.op_type = "Resize";
  c.node.attributes["mode"] = string_attr(resize_mode(c.node));
  c.mark("upsampling");  // Upsample only enlarges: nearest rounds down at Resize-11
  c.note("Upsample -> Resize (same semantics)");
  return Status::ok();
}

Status resize_to_upsample(AdapterContext& c) {
  std::string mode = resize_mode(c.node);
  if (mode != "nearest" && mode != "linear") return c.fail("mode '" + mode + "' has no Upsample equivalent");
  if (scale_direction(c.constant(c.node.inputs.size() > 1 ? c.node.inputs[1] : "")) < 0)
    return c.fail("it downsamples, which Upsample (opset 9, before Resize) cannot");
  c.node.op_type = "Upsample";
  c.note("Resize -> Upsample (same semantics)");
  return Status::ok();
}

Status resize_10_to_11(AdapterContext& c) {
  const Tensor* scales = c.constant(c.node.num_inputs() > 1 ? c.node.inputs[1] : "");
  if (resize_mode(c.node) == "nearest") {
    int dir = c.marked("upsampling") ? 1 : scale_direction(scales);
    if (dir == 0)
      return c.fail("nearest Resize-10 rounds down when enlarging and up when shrinking; with scales " +
                    std::string(scales ? "that do both" : "computed at run time") + " no nearest_mode of opset 11 matches");
    c.node.attributes["nearest_mode"] = string_attr(dir > 0 ? "floor" : "ceil");
  }
  c.node.attributes["coordinate_transformation_mode"] = string_attr("asymmetric");
  std::string scales_name = c.node.num_inputs() > 1 ? c.node.inputs[1] : "";
  c.node.inputs.resize(1);
  c.node.inputs.push_back(c.add_constant(c.node_id() + "_roi", float_vector({})));
  c.node.inputs.push_back(scales_name);
  c.note("roi input added; coordinate_transformation_mode asymmetric (Resize-10 semantics)");
  return Status::ok();
}

// Scales that give exactly `sizes` from a static input shape: floor(in * scale)
// == size, and for nearest every output picks the input index that sizes pick
// (x * in / size, rounded by `nearest`).
Result<Tensor> scales_for_sizes(AdapterContext& c, const Tensor& sizes, const std::string& nearest) {
  const ValueType* x = c.type(c.node.inputs[0]);
  if (!x || !x->fully_known() || static_cast<int64_t>(x->dims.size()) != sizes.numel())
    return c.fail("it resizes to 'sizes', and opset 10 needs scales: the input's shape must be known to compute them");
  std::vector<float> s;
  for (int64_t i = 0; i < sizes.numel(); ++i) {
    const int64_t in = x->dims[static_cast<size_t>(i)].value, want = sizes.get_int64(i);
    if (in <= 0 || want <= 0) return c.fail("cannot derive a scale for an empty axis");
    float f = static_cast<float>(static_cast<double>(want) / static_cast<double>(in));
    while (std::floor(static_cast<double>(in) * static_cast<double>(f)) < static_cast<double>(want)) f = std::nextafter(f, 2 * f + 1);
    for (int64_t o = 0; !nearest.empty() && o < want; ++o) {
      const double by_scale = static_cast<double>(o) / static_cast<double>(f);
      const int64_t got = static_cast<int64_t>(nearest == "ceil" ? std::ceil(by_scale) : std::floor(by_scale));
      const int64_t exact = nearest == "ceil" ? (o * in + want - 1) / want : o * in / want;
      if (got != exact)
        return c.fail("sizes " + std::to_string(want) + " from " + std::to_string(in) +
                      " pick other nearest pixels than any float scale would; it needs opset 11");
    }
    s.push_back(f);
  }
  return float_vector(s);
}

Status resize_11_to_10(AdapterContext& c) {
  const std::string mode = resize_mode(c.node);
  const std::string coord = c.node.attr_string("coordinate_transformation_mode", "half_pixel");
  if (coord != "asymmetric")
    return c.fail("coordinate_transformation_mode '" + coord + "' needs opset 11 (Resize-10 is always asymmetric)");
  if (mode != "nearest" && mode != "linear") return c.fail("mode '" + mode + "' needs opset 11");
  EW_ASSIGN_OR_RETURN(const Tensor* scales, c.constant_input(2, "scales"));
  Tensor derived;
  if (!scales || scales->numel() == 0) {
    EW_ASSIGN_OR_RETURN(const Tensor* sizes, c.constant_input(3, "sizes"));
    if (!sizes) return c.fail("it has neither scales nor sizes");
    const std::string nearest = mode == "nearest" ? c.node.attr_string("nearest_mode", "round_prefer_floor") : "";
    EW_ASSIGN_OR_RETURN(derived, scales_for_sizes(c, *sizes, nearest == "floor" || nearest == "ceil" ? nearest : ""));
    scales = &derived;
  }
  if (mode == "nearest") {
    std::string nearest = c.node.attr_string("nearest_mode", "round_prefer_floor");
    int dir = scale_direction(scales);
    if (!((nearest == "floor" && dir > 0) || (nearest == "ceil" && dir < 0)))
      return c.fail("nearest_mode '" + nearest + "' with these scales needs opset 11 (Resize-10 rounds down when "
                    "enlarging, up when shrinking)");
  }
  std::string scales_name = derived.defined() ? c.add_constant(c.node_id() + "_scales", derived) : c.node.inputs[2];
  for (int i = c.node.num_inputs() - 1; i >= 1; --i) c.erase_input(i);
  c.node.inputs.push_back(scales_name);
  c.node.attributes.erase("coordinate_transformation_mode");
  c.node.attributes.erase("nearest_mode");
  c.note(derived.defined() ? "sizes -> scales; roi dropped" : "roi dropped (asymmetric ignores it)");
  return Status::ok();
}

Status resize_11_to_13(AdapterContext& c) {
  if (c.node.attr_string("coordinate_transformation_mode", "") == "tf_half_pixel_for_nn")
    return c.fail("coordinate_transformation_mode 'tf_half_pixel_for_nn' was removed at opset 13");
  return Status::ok();
}

Status resize_13_to_11(AdapterContext& c) {
  std::string note;
  if (!c.node.has_input(1)) { c.set_input(1, c.add_constant(c.node_id() + "_roi", float_vector({}))); note = "empty roi"; }
  if (!c.node.has_input(2)) {
    c.set_input(2, c.add_constant(c.node_id() + "_scales", float_vector({})));
    note += note.empty() ? "empty scales" : ", empty scales";
  }
  if (!note.empty()) c.note(note + " input (required at opset 11)");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kUpsampleResizeAdapters = {
    {"Upsample", 9, upsample_scales_to_input, upsample_scales_to_attribute},
    {"Upsample", 10, upsample_to_resize, nullptr},
    {"Resize", 10, nullptr, resize_to_upsample},
    {"Resize", 11, resize_10_to_11, resize_11_to_10},
    {"Resize", 13, resize_11_to_13, resize_13_to_11},
};

}  // namespace ew::opset
