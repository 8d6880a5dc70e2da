// Softmax, LogSoftmax and Hardmax across opset 13. Before 13 they coerce the
// input to 2-D at `axis` (default 1) and normalize each row of the flattened
// trailing dims; from 13 they act along the single dim `axis` (default -1).
// The two agree exactly when axis is the last dim, and the adapter then only
// states the axis. Otherwise:
//   up    Flatten(axis) -> op(axis=1) -> Reshape(Shape(input)): the old
//         semantics, for any rank, even unknown;
//   down  Transpose(axis <-> last) -> op(last) -> Transpose back; needs the
//         input's rank.
#include <numeric>

#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

Status to_single_axis(AdapterContext& c) {
  const std::string x = c.node.inputs.empty() ? "" : c.node.inputs[0];
  if (x.empty()) return c.fail("it has no input");
  const int64_t axis = c.node.attr_int("axis", 1), r = c.rank(x);
  const int64_t norm = axis < 0 && r >= 0 ? axis + r : axis;
  if ((r >= 0 && norm == r - 1) || axis == -1) {
    c.node.attributes["axis"] = int_attr(axis);
    c.note("axis stated (the last dim: same semantics)");
    return Status::ok();
  }
  const std::string shape = c.add_before("Shape", {x});
  c.node.inputs[0] = c.add_before("Flatten", {x}, {{"axis", int_attr(norm)}});
  c.node.attributes["axis"] = int_attr(1);
  const std::string out = c.node.outputs[0];
  const std::string raw = c.detach_output(0);
  c.add_after_into("Reshape", {raw, shape}, out);
  c.note("Flatten/Reshape around it (2-D coercion before opset 13)");
  return Status::ok();
}

Status to_coerced_2d(AdapterContext& c) {
  const std::string x = c.node.inputs.empty() ? "" : c.node.inputs[0];
  if (x.empty()) return c.fail("it has no input");
  const int64_t axis = c.node.attr_int("axis", -1), r = c.rank(x);
  if (axis == -1 || (r >= 0 && (axis == r - 1 || axis + r == r - 1))) {
    c.node.attributes["axis"] = int_attr(r >= 0 ? r - 1 : -1);
    c.note("axis stated (the last dim: same semantics)");
    return Status::ok();
  }
  if (r < 0) return c.fail("axis " + std::to_string(axis) + " is not known to be the last dim (unknown rank)");
  const int64_t norm = axis < 0 ? axis + r : axis;
  if (norm < 0 || norm >= r) return c.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(r));
  std::vector<int64_t> perm(static_cast<size_t>(r));
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[static_cast<size_t>(norm)], perm.back());
  c.node.inputs[0] = c.add_before("Transpose", {x}, {{"perm", ints_attr(perm)}});
  c.node.attributes["axis"] = int_attr(r - 1);
  const std::string out = c.node.outputs[0];
  const std::string raw = c.detach_output(0);
  c.add_after_into("Transpose", {raw}, out, {{"perm", ints_attr(perm)}});
  c.note("Transpose around it (axis moved last; 2-D coercion before opset 13)");
  return Status::ok();
}

}  // namespace

const std::vector<OpsetAdapter> kSoftmaxAdapters = {
    {"Softmax", 13, to_single_axis, to_coerced_2d},
    {"LogSoftmax", 13, to_single_axis, to_coerced_2d},
    {"Hardmax", 13, to_single_axis, to_coerced_2d},
};

}  // namespace ew::opset
