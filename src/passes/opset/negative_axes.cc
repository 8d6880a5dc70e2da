// Negative axes arrived for every op at opset 11. Going below it, a negative
// `axis` / `axes` attribute (and Slice's constant axes input) is rewritten to
// the non-negative axis it names, which needs the rank the axes refer to:
// the input's for most ops, the output's for Unsqueeze (input rank + number of
// axes) and OneHot (indices rank + 1). TopK and OneHot took -1 (their default)
// before 11 already, so -1 stays when the rank is unknown.
#include "passes/opset/adapter_list.h"

namespace ew::opset {

namespace {

// The rank that the node's axes index, or -1.
int64_t axes_rank(const AdapterContext& c) {
  const Node& n = c.node;
  const int64_t r = n.inputs.empty() ? -1 : c.rank(n.inputs[0]);
  if (r < 0) return -1;
  if (n.op_type == "Unsqueeze") return r + static_cast<int64_t>(n.attr_ints("axes").size());
  if (n.op_type == "OneHot") return r + 1;
  return r;
}

Status make_axes_non_negative(AdapterContext& c) {
  const int64_t r = axes_rank(c);
  bool changed = false;
  auto fix = [&](int64_t a, int64_t* out) -> Status {
    *out = a;
    if (a >= 0) return Status::ok();
    const bool default_ok = (c.node.op_type == "TopK" || c.node.op_type == "OneHot") && a == -1;
    if (r < 0 && default_ok) return Status::ok();
    if (r < 0) return c.fail("negative axis " + std::to_string(a) + " needs opset 11 (the rank is unknown, so it cannot be made explicit)");
    if (a + r < 0) return c.fail("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(r));
    *out = a + r;
    changed = true;
    return Status::ok();
  };
  if (const Attribute* a = c.node.attr("axis"); a && a->kind == Attribute::Kind::kInt) {
    int64_t v = 0;
    EW_RETURN_IF_ERROR(fix(a->i, &v));
    c.node.attributes["axis"] = int_attr(v);
  }
  if (const Attribute* a = c.node.attr("axes"); a && a->kind == Attribute::Kind::kInts) {
    std::vector<int64_t> axes = a->ints;
    for (int64_t& v : axes) EW_RETURN_IF_ERROR(fix(v, &v));
    c.node.attributes["axes"] = ints_attr(axes);
  }
  if (c.node.op_type == "Slice" && c.node.has_input(3)) {
    const Tensor* axes = c.constant(c.node.inputs[3]);
    if (!axes) return c.fail("its axes are computed at run time and may be negative, which needs opset 11");
    std::vector<int64_t> v = axes->to_int64_vector();
    bool any = false;
    for (int64_t& a : v) { any = any || a < 0; EW_RETURN_IF_ERROR(fix(a, &a)); }
    if (any) {
      c.release(c.node.inputs[3]);
      c.node.inputs[3] = c.add_constant(c.node_id() + "_axes", int64_vector(v));
    }
  }
  if (changed) c.note("negative axes made non-negative");
  return Status::ok();
}

}  // namespace

#define EW_NEGATIVE_AXES(op) {op, 11, nullptr, make_axes_non_negative}

const std::vector<OpsetAdapter> kNegativeAxesAdapters = {
    EW_NEGATIVE_AXES("ArgMax"),       EW_NEGATIVE_AXES("ArgMin"),         EW_NEGATIVE_AXES("Compress"),
    EW_NEGATIVE_AXES("Concat"),       EW_NEGATIVE_AXES("Flatten"),        EW_NEGATIVE_AXES("Gather"),
    EW_NEGATIVE_AXES("Hardmax"),      EW_NEGATIVE_AXES("LogSoftmax"),     EW_NEGATIVE_AXES("Softmax"),
    EW_NEGATIVE_AXES("OneHot"),       EW_NEGATIVE_AXES("Split"),          EW_NEGATIVE_AXES("Squeeze"),
    EW_NEGATIVE_AXES("Unsqueeze"),    EW_NEGATIVE_AXES("TopK"),           EW_NEGATIVE_AXES("ScatterElements"),
    EW_NEGATIVE_AXES("Slice"),        EW_NEGATIVE_AXES("ReduceL1"),       EW_NEGATIVE_AXES("ReduceL2"),
    EW_NEGATIVE_AXES("ReduceLogSum"), EW_NEGATIVE_AXES("ReduceLogSumExp"), EW_NEGATIVE_AXES("ReduceMax"),
    EW_NEGATIVE_AXES("ReduceMean"),   EW_NEGATIVE_AXES("ReduceMin"),      EW_NEGATIVE_AXES("ReduceProd"),
    EW_NEGATIVE_AXES("ReduceSum"),    EW_NEGATIVE_AXES("ReduceSumSquare"),
};

#undef EW_NEGATIVE_AXES

}  // namespace ew::opset
