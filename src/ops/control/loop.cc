// Loop: runs `body` while i < M (when M is given) and cond holds (when cond
// is given; the body's cond output is ignored otherwise, as the spec says).
// Body: (iter_num, cond_in, v...) -> (cond_out, v..., scan...). The node
// returns the final loop-carried values and each scan output stacked along a
// new axis 0. Scan outputs are bounded by max_tensor_bytes(), so a loop that
// never stops fails cleanly instead of exhausting memory.
#include <limits>

#include "ops/control/subgraph_io.h"

namespace ew {
namespace {

struct LoopShape {
  int carried = 0;  // N
  int scans = 0;    // K
};

Result<LoopShape> check_body(const Node& node, const Graph& body, int num_inputs, int num_outputs) {
  auto fail = [&](const std::string& m) { return invalid_argument("node " + node.label() + ": " + m); };
  if (num_inputs < 2) return fail("Loop takes at least 2 inputs (M and cond, possibly empty)");
  LoopShape s;
  s.carried = num_inputs - 2;
  s.scans = num_outputs - s.carried;
  if (s.scans < 0) return fail("fewer outputs than loop-carried values");
  if (static_cast<int>(body.inputs.size()) != s.carried + 2)
    return fail("body takes " + std::to_string(body.inputs.size()) + " inputs, expected " +
                std::to_string(s.carried + 2) + " (iter_num, cond, loop-carried values)");
  if (static_cast<int>(body.outputs.size()) != 1 + s.carried + s.scans)
    return fail("body has " + std::to_string(body.outputs.size()) + " outputs, expected " +
                std::to_string(1 + s.carried + s.scans) + " (cond, loop-carried values, scan outputs)");
  return s;
}

Status infer_loop(InferContext& ctx) {
  EW_ASSIGN_OR_RETURN(const Graph* body, body_attr(ctx.node(), "body"));
  EW_ASSIGN_OR_RETURN(LoopShape s, check_body(ctx.node(), *body, ctx.num_inputs(), ctx.num_outputs()));
  DType m = ctx.input_type(0).dtype, c = ctx.input_type(1).dtype;
  if (ctx.has_input(0) && m != DType::kUndefined && m != DType::kInt64) return ctx.error("M must be int64");
  if (ctx.has_input(1) && c != DType::kUndefined && c != DType::kBool) return ctx.error("cond must be bool");
  for (int i = 0; i < s.carried; ++i) {
    const ValueType& in = ctx.input_type(2 + i);
    const ValueType& out = body->outputs[1 + i].type;
    DType dtype = in.dtype != DType::kUndefined ? in.dtype : out.dtype;
    if (dtype == DType::kUndefined) continue;
    if (in.has_shape && out.has_shape && in.dims == out.dims) ctx.set_output(i, in);
    else ctx.set_output_dtype_only(i, dtype);
  }
  for (int k = 0; k < s.scans; ++k) {
    const ValueType& out = body->outputs[1 + s.carried + k].type;
    if (out.dtype == DType::kUndefined) continue;
    if (!out.has_shape) { ctx.set_output_dtype_only(s.carried + k, out.dtype); continue; }
    std::vector<Dim> dims{Dim{}};
    dims.insert(dims.end(), out.dims.begin(), out.dims.end());
    ctx.set_output(s.carried + k, out.dtype, dims);
  }
  return Status::ok();
}

// The slices one scan output collects, one per iteration.
struct ScanCollector {
  DType dtype = DType::kUndefined;
  Shape slice_shape;
  int64_t count = 0;
  int64_t bytes = 0;
  std::vector<Tensor> slices;  // only slices with bytes

  Status add(const Tensor& t, int k) {
    if (count == 0) { dtype = t.dtype(); slice_shape = t.shape(); }
    if (t.dtype() != dtype || t.shape() != slice_shape)
      return invalid_argument("scan output " + std::to_string(k) + " changed from " + dtype_name(dtype) +
                              shape_to_string(slice_shape) + " to " + t.describe() + " between iterations");
    if (bytes + static_cast<int64_t>(t.nbytes()) > max_tensor_bytes())
      return resource_exhausted("scan output " + std::to_string(k) + " would exceed the limit of " +
                                std::to_string(max_tensor_bytes()) + " bytes per tensor after " +
                                std::to_string(count) + " iterations");
    ++count;
    bytes += static_cast<int64_t>(t.nbytes());
    if (t.nbytes()) slices.push_back(t);
    return Status::ok();
  }
};

Status emit_scan(KernelContext& ctx, const Graph& body, int out_index, int body_index, const ScanCollector& c) {
  if (c.count == 0) {  // zero iterations: the shape comes from the body's declaration
    const ValueType& vt = body.outputs[body_index].type;
    if (vt.dtype == DType::kUndefined)
      return ctx.error("zero iterations and the body does not declare the type of output '" +
                       body.outputs[body_index].name + "'");
    Shape shape{0};
    for (const Dim& d : vt.dims) shape.push_back(d.known() ? d.value : 0);
    return ctx.allocate_output(out_index, vt.dtype, shape).status();
  }
  EW_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(out_index, c.dtype, insert_axis(c.slice_shape, 0, c.count)));
  auto* dst = static_cast<uint8_t*>(out->raw());
  for (const Tensor& t : c.slices) {
    std::memcpy(dst, t.raw(), t.nbytes());
    dst += t.nbytes();
  }
  return Status::ok();
}

struct LoopControl {
  int64_t max_trips = std::numeric_limits<int64_t>::max();
  bool use_cond = false;
  bool cond = true;
};

Result<LoopControl> read_control(KernelContext& ctx) {
  LoopControl lc;
  if (ctx.has_input(0)) {
    const Tensor& m = ctx.input(0);
    if (m.numel() != 1 || !is_integer(m.dtype())) return ctx.error("M must be a one-element int64, got " + m.describe());
    lc.max_trips = m.get_int64(0);
  }
  if (ctx.has_input(1)) {
    auto c = read_condition(ctx.input(1), "cond");
    if (!c.is_ok()) return ctx.error(c.status().message());
    lc.use_cond = true;
    lc.cond = *c;
  }
  return lc;
}

Status run_loop(KernelContext& ctx) {
  EW_ASSIGN_OR_RETURN(const Graph* body, body_attr(ctx.node(), "body"));
  EW_ASSIGN_OR_RETURN(LoopShape s, check_body(ctx.node(), *body, ctx.num_inputs(), ctx.num_outputs()));
  EW_ASSIGN_OR_RETURN(LoopControl lc, read_control(ctx));
  if (!ctx.subgraphs()) return internal_error("node " + ctx.node().label() + ": no subgraph runner");
  std::vector<Tensor> carried(s.carried);
  for (int i = 0; i < s.carried; ++i) {
    if (!ctx.has_input(2 + i)) return ctx.error("loop-carried input " + std::to_string(i) + " is missing");
    carried[i] = ctx.input(2 + i);
  }
  std::vector<ScanCollector> scans(s.scans);
  for (int64_t it = 0; it < lc.max_trips && lc.cond; ++it) {
    std::vector<Tensor> feeds;
    EW_ASSIGN_OR_RETURN(Tensor iter, Tensor::scalar<int64_t>(it));
    EW_ASSIGN_OR_RETURN(Tensor cond_in, Tensor::scalar<bool>(lc.cond));
    feeds.push_back(std::move(iter));
    feeds.push_back(std::move(cond_in));
    for (const Tensor& t : carried) feeds.push_back(t);
    auto outs = ctx.subgraphs()->run(*body, feeds, it);
    if (!outs.is_ok()) return outs.status().with_context("node " + ctx.node().label() + ", iteration " + std::to_string(it) + ": ");
    if (lc.use_cond) {
      auto c = read_condition((*outs)[0], "the body's cond output");
      if (!c.is_ok()) return ctx.error(c.status().message());
      lc.cond = *c;
    }
    for (int i = 0; i < s.carried; ++i) {
      if ((*outs)[1 + i].dtype() != carried[i].dtype())
        return ctx.error("loop-carried value " + std::to_string(i) + " changed type from " +
                         dtype_name(carried[i].dtype()) + " to " + dtype_name((*outs)[1 + i].dtype()));
      carried[i] = std::move((*outs)[1 + i]);
    }
    for (int k = 0; k < s.scans; ++k) {
      Status st = scans[k].add((*outs)[1 + s.carried + k], k);
      if (!st.is_ok()) return st.with_context("node " + ctx.node().label() + ": ");
    }
  }
  for (int i = 0; i < s.carried; ++i) ctx.set_output(i, carried[i]);
  for (int k = 0; k < s.scans; ++k) EW_RETURN_IF_ERROR(emit_scan(ctx, *body, s.carried + k, 1 + s.carried + k, scans[k]));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "Loop", .infer = infer_loop, .run = run_loop);

}  // namespace ew
