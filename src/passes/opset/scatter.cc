// Scatter (opset 9) became ScatterElements at opset 11 with the same
// semantics; Scatter-11 is deprecated. Going down, ScatterElements must not
// reduce (reduction arrived at 16; the schema check enforces it at 11..15)
// and its axis must already be non-negative (negative_axes.cc runs first).
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status scatter_to_elements(AdapterContext& c) {
  c.node.op_type = "ScatterElements";
  c.note("Scatter -> ScatterElements (same semantics)");
  return Status::ok();
}

Status elements_to_scatter(AdapterContext& c) {
  if (c.node.attr_string("reduction", "none") != "none")
    return c.fail("reduction '" + c.node.attr_string("reduction", "") + "' needs opset 16");
  c.node.attributes.erase("reduction");
  c.node.op_type = "Scatter";
  c.note("ScatterElements -> Scatter (same semantics)");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kScatterAdapters = {
    {"Scatter", 11, scatter_to_elements, nullptr},
    {"ScatterElements", 11, nullptr, elements_to_scatter},
};

}  // namespace ew::opset
