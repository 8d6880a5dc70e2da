// Scan: runs `body` once per slice of the scan inputs, threading N state
// values through the iterations and stacking K per-iteration outputs.
// Opset 9+: inputs (states..., scan inputs...), with per-input/output axes and
// directions. Opset 8: inputs (sequence_lens, states..., scan inputs...) with
// a leading batch axis on every input and output; scan inputs scan along axis
// 1 and outputs past a batch entry's length are zero.
#include "ops/control/subgraph_io.h"

namespace ew {
namespace {

struct ScanSpec {
  bool batched = false;  // opset 8
  int first_state = 0;   // 1 for opset 8 (sequence_lens comes first)
  int states = 0, scan_ins = 0, scan_outs = 0;
  std::vector<int64_t> in_axes, in_dirs, out_axes, out_dirs;
};

Status check_list(const Node& node, const char* key, std::vector<int64_t>& v, int count, bool directions) {
  auto fail = [&](const std::string& m) { return invalid_argument("node " + node.label() + ": " + m); };
  if (v.empty()) v.assign(count, 0);
  if (static_cast<int>(v.size()) != count)
    return fail(std::string(key) + " has " + std::to_string(v.size()) + " entries, expected " + std::to_string(count));
  if (directions)
    for (int64_t d : v) if (d != 0 && d != 1) return fail(std::string(key) + " values must be 0 or 1");
  return Status::ok();
}

Result<ScanSpec> read_spec(const Node& node, int64_t opset, const Graph& body, int num_inputs, int num_outputs) {
  auto fail = [&](const std::string& m) { return invalid_argument("node " + node.label() + ": " + m); };
  ScanSpec s;
  s.batched = opset < 9;
  s.first_state = s.batched ? 1 : 0;
  int64_t m = node.attr_int("num_scan_inputs", -1);
  if (m < 1 || m > num_inputs - s.first_state) return fail("num_scan_inputs must be in [1, number of inputs]");
  s.scan_ins = static_cast<int>(m);
  s.states = num_inputs - s.first_state - s.scan_ins;
  s.scan_outs = num_outputs - s.states;
  if (s.scan_outs < 0) return fail("fewer outputs than state variables");
  if (static_cast<int>(body.inputs.size()) != s.states + s.scan_ins)
    return fail("body takes " + std::to_string(body.inputs.size()) + " inputs, expected " +
                std::to_string(s.states + s.scan_ins));
  if (static_cast<int>(body.outputs.size()) != s.states + s.scan_outs)
    return fail("body has " + std::to_string(body.outputs.size()) + " outputs, expected " +
                std::to_string(s.states + s.scan_outs));
  s.in_dirs = node.attr_ints(s.batched ? "directions" : "scan_input_directions");
  if (!s.batched) {
    s.in_axes = node.attr_ints("scan_input_axes");
    s.out_axes = node.attr_ints("scan_output_axes");
    s.out_dirs = node.attr_ints("scan_output_directions");
  }
  EW_RETURN_IF_ERROR(check_list(node, "scan_input_directions", s.in_dirs, s.scan_ins, true));
  EW_RETURN_IF_ERROR(check_list(node, "scan_input_axes", s.in_axes, s.scan_ins, false));
  EW_RETURN_IF_ERROR(check_list(node, "scan_output_axes", s.out_axes, s.scan_outs, false));
  EW_RETURN_IF_ERROR(check_list(node, "scan_output_directions", s.out_dirs, s.scan_outs, true));
  return s;
}

// Static length of the scanned axis, or unknown.
Dim scan_length(const InferContext& ctx, const ScanSpec& s) {
  const ValueType& t = ctx.input_type(s.first_state + s.states);
  int64_t axis = s.batched ? 1 : s.in_axes[0];
  if (!t.has_shape) return Dim{};
  auto a = normalize_axis(axis, static_cast<int64_t>(t.dims.size()));
  return a ? t.dims[*a] : Dim{};
}

Status infer_scan(InferContext& ctx) {
  EW_ASSIGN_OR_RETURN(const Graph* body, body_attr(ctx.node(), "body"));
  EW_ASSIGN_OR_RETURN(ScanSpec s, read_spec(ctx.node(), ctx.opset(), *body, ctx.num_inputs(), ctx.num_outputs()));
  for (int i = 0; i < s.states; ++i)
    if (ctx.input_type(s.first_state + i).dtype != DType::kUndefined) ctx.set_output(i, ctx.input_type(s.first_state + i));
  Dim len = scan_length(ctx, s);
  for (int k = 0; k < s.scan_outs; ++k) {
    const ValueType& vt = body->outputs[s.states + k].type;
    if (vt.dtype == DType::kUndefined) continue;
    if (!vt.has_shape) { ctx.set_output_dtype_only(s.states + k, vt.dtype); continue; }
    std::vector<Dim> dims = vt.dims;
    if (s.batched) {
      const ValueType& first = ctx.input_type(s.first_state + s.states);
      dims.insert(dims.begin(), {first.has_shape && !first.dims.empty() ? first.dims[0] : Dim{}, len});
    } else {
      auto a = normalize_axis(s.out_axes[k], static_cast<int64_t>(dims.size()) + 1);
      if (!a) return ctx.error("scan_output_axes[" + std::to_string(k) + "] is out of range");
      dims.insert(dims.begin() + *a, len);
    }
    ctx.set_output(s.states + k, vt.dtype, dims);
  }
  return Status::ok();
}

// One unbatched scan: `iters` iterations over `ins` (scanned along in_axes),
// writing outputs of length `out_len` (>= iters; the rest stays zero).
struct ScanPass {
  KernelContext& ctx;
  const Graph& body;
  const ScanSpec& s;
  std::vector<Tensor> states;
  std::vector<Tensor> outs;  // scan outputs, allocated after the first iteration

  Status run(const std::vector<Tensor>& ins, const std::vector<int64_t>& in_axes, int64_t iters, int64_t out_len);
  Status store(int k, const Tensor& slice, int64_t pos, int64_t out_len);
  Status empty_outputs(int64_t out_len);
};

Status ScanPass::store(int k, const Tensor& slice, int64_t pos, int64_t out_len) {
  auto axis = normalize_axis(s.out_axes[k], slice.rank() + 1);
  if (!axis) return ctx.error("scan_output_axes[" + std::to_string(k) + "] is out of range for " + slice.describe());
  Shape full = insert_axis(slice.shape(), *axis, out_len);
  if (!outs[k].defined()) {
    EW_ASSIGN_OR_RETURN(outs[k], Tensor::create(slice.dtype(), full));
  } else if (outs[k].dtype() != slice.dtype() || outs[k].shape() != full) {
    return ctx.error("scan output " + std::to_string(k) + " changed to " + slice.describe() + " between iterations");
  }
  write_slice(slice, *axis, pos, outs[k]);
  return Status::ok();
}

Status ScanPass::empty_outputs(int64_t out_len) {
  for (int k = 0; k < s.scan_outs; ++k) {
    if (outs[k].defined()) continue;
    const ValueType& vt = body.outputs[s.states + k].type;
    if (vt.dtype == DType::kUndefined || !vt.fully_known())
      return ctx.error("zero iterations and the body does not declare the full type of '" + body.outputs[s.states + k].name + "'");
    auto axis = normalize_axis(s.out_axes[k], static_cast<int64_t>(vt.dims.size()) + 1);
    if (!axis) return ctx.error("scan_output_axes[" + std::to_string(k) + "] is out of range");
    EW_ASSIGN_OR_RETURN(outs[k], Tensor::create(vt.dtype, insert_axis(vt.concrete_shape(), *axis, out_len)));
  }
  return Status::ok();
}

Status ScanPass::run(const std::vector<Tensor>& ins, const std::vector<int64_t>& in_axes, int64_t iters, int64_t out_len) {
  outs.assign(s.scan_outs, Tensor());
  for (int64_t t = 0; t < iters; ++t) {
    std::vector<Tensor> feeds = states;
    for (size_t j = 0; j < ins.size(); ++j) {
      // A fresh tensor per iteration: the body may hand its input back as a state.
      EW_ASSIGN_OR_RETURN(Tensor slice, Tensor::create(ins[j].dtype(), drop_axis(ins[j].shape(), in_axes[j])));
      read_slice(ins[j], in_axes[j], s.in_dirs[j] ? iters - 1 - t : t, slice);
      feeds.push_back(std::move(slice));
    }
    auto r = ctx.subgraphs()->run(body, feeds, t);
    if (!r.is_ok()) return r.status().with_context("node " + ctx.node().label() + ", iteration " + std::to_string(t) + ": ");
    for (int i = 0; i < s.states; ++i) {
      if ((*r)[i].dtype() != states[i].dtype()) return ctx.error("state " + std::to_string(i) + " changed type");
      states[i] = std::move((*r)[i]);
    }
    for (int k = 0; k < s.scan_outs; ++k)
      EW_RETURN_IF_ERROR(store(k, (*r)[s.states + k], s.out_dirs[k] ? iters - 1 - t : t, out_len));
  }
  return empty_outputs(out_len);
}

// Scan inputs and their (normalized) axes; checks all have the same length there.
Status gather_inputs(KernelContext& ctx, const ScanSpec& s, int64_t axis_offset, std::vector<int64_t>& axes,
                     int64_t& len) {
  len = -1;
  axes.clear();
  for (int j = 0; j < s.scan_ins; ++j) {
    int idx = s.first_state + s.states + j;
    if (!ctx.has_input(idx)) return ctx.error("scan input " + std::to_string(j) + " is missing");
    const Tensor& in = ctx.input(idx);
    auto a = normalize_axis(s.in_axes[j] + axis_offset, in.rank());
    if (!a) return ctx.error("scan input axis out of range for " + in.describe());
    if (len >= 0 && in.dim(*a) != len) return ctx.error("scan inputs disagree on the sequence length");
    len = in.dim(*a);
    axes.push_back(*a);
  }
  return Status::ok();
}

Status run_scan9(KernelContext& ctx, const Graph& body, const ScanSpec& s) {
  std::vector<int64_t> axes;
  int64_t len = 0;
  EW_RETURN_IF_ERROR(gather_inputs(ctx, s, 0, axes, len));
  ScanPass pass{ctx, body, s, {}, {}};
  for (int i = 0; i < s.states; ++i) {
    if (!ctx.has_input(i)) return ctx.error("state input " + std::to_string(i) + " is missing");
    pass.states.push_back(ctx.input(i));
  }
  std::vector<Tensor> ins;
  for (int j = 0; j < s.scan_ins; ++j) ins.push_back(ctx.input(s.states + j));
  EW_RETURN_IF_ERROR(pass.run(ins, axes, len, len));
  for (int i = 0; i < s.states; ++i) ctx.set_output(i, pass.states[i]);
  for (int k = 0; k < s.scan_outs; ++k) ctx.set_output(s.states + k, pass.outs[k]);
  return Status::ok();
}

// Places a per-batch result at index b of output i (allocated on first use).
Status put_batch(KernelContext& ctx, int i, const Tensor& part, int64_t b, int64_t batch) {
  Tensor& out = ctx.output(i);
  Shape full = insert_axis(part.shape(), 0, batch);
  if (b == 0 || !out.defined()) {
    EW_RETURN_IF_ERROR(output_of(ctx, i, part.dtype(), full).status());
  } else if (out.dtype() != part.dtype() || out.shape() != full) {
    return ctx.error("output " + std::to_string(i) + " differs in type or shape between batch entries");
  }
  write_slice(part, 0, b, ctx.output(i));
  return Status::ok();
}

Result<std::vector<int64_t>> batch_lengths(KernelContext& ctx, int64_t batch, int64_t max_len) {
  std::vector<int64_t> lens(batch, max_len);
  if (!ctx.has_input(0)) return lens;
  const Tensor& sl = ctx.input(0);
  if (!is_integer(sl.dtype()) || sl.numel() != batch)
    return ctx.error("sequence_lens must hold " + std::to_string(batch) + " integers, got " + sl.describe());
  for (int64_t b = 0; b < batch; ++b) {
    lens[b] = sl.get_int64(b);
    if (lens[b] < 0 || lens[b] > max_len) return ctx.error("sequence_lens values must be in [0, sequence length]");
  }
  return lens;
}

// Scan outputs for an empty batch: [0, len, declared dims...].
Status empty_batch(KernelContext& ctx, const Graph& body, const ScanSpec& s, int64_t len) {
  for (int i = 0; i < s.states; ++i) ctx.set_output(i, ctx.input(1 + i));
  for (int k = 0; k < s.scan_outs; ++k) {
    const ValueType& vt = body.outputs[s.states + k].type;
    if (vt.dtype == DType::kUndefined) return ctx.error("empty batch and the body does not declare its output types");
    Shape shape{0, len};
    for (const Dim& d : vt.dims) shape.push_back(d.known() ? d.value : 0);
    EW_RETURN_IF_ERROR(ctx.allocate_output(s.states + k, vt.dtype, shape).status());
  }
  return Status::ok();
}

Status run_scan8(KernelContext& ctx, const Graph& body, const ScanSpec& s) {
  std::vector<int64_t> axes;
  int64_t len = 0;
  EW_RETURN_IF_ERROR(gather_inputs(ctx, s, 1, axes, len));
  for (int64_t& a : axes) --a;  // axes within one batch entry
  int64_t batch = ctx.input(s.first_state + s.states).dim(0);
  EW_ASSIGN_OR_RETURN(std::vector<int64_t> lens, batch_lengths(ctx, batch, len));
  for (int i = 0; i < s.states + s.scan_ins; ++i) {
    if (!ctx.has_input(1 + i)) return ctx.error("input " + std::to_string(1 + i) + " is missing");
    const Tensor& in = ctx.input(1 + i);
    if (in.rank() < 1 || in.dim(0) != batch)
      return ctx.error("input " + in.describe() + " does not have the batch size " + std::to_string(batch));
  }
  if (batch == 0) return empty_batch(ctx, body, s, len);
  for (int64_t b = 0; b < batch; ++b) {
    ScanPass pass{ctx, body, s, {}, {}};
    std::vector<Tensor> ins;
    for (int i = 0; i < s.states + s.scan_ins; ++i) {
      const Tensor& in = ctx.input(1 + i);
      EW_ASSIGN_OR_RETURN(Tensor part, Tensor::create(in.dtype(), drop_axis(in.shape(), 0)));
      read_slice(in, 0, b, part);
      (i < s.states ? pass.states : ins).push_back(std::move(part));
    }
    EW_RETURN_IF_ERROR(pass.run(ins, axes, lens[b], len));
    for (int i = 0; i < s.states; ++i) EW_RETURN_IF_ERROR(put_batch(ctx, i, pass.states[i], b, batch));
    for (int k = 0; k < s.scan_outs; ++k) EW_RETURN_IF_ERROR(put_batch(ctx, s.states + k, pass.outs[k], b, batch));
  }
  return Status::ok();
}

Status run_scan(KernelContext& ctx) {
  EW_ASSIGN_OR_RETURN(const Graph* body, body_attr(ctx.node(), "body"));
  EW_ASSIGN_OR_RETURN(ScanSpec s, read_spec(ctx.node(), ctx.opset(), *body, ctx.num_inputs(), ctx.num_outputs()));
  if (!ctx.subgraphs()) return internal_error("node " + ctx.node().label() + ": no subgraph runner");
  return s.batched ? run_scan8(ctx, *body, s) : run_scan9(ctx, *body, s);
}

}  // namespace

EW_REGISTER_OP(.op_type = "Scan", .since_version = 8, .infer = infer_scan, .run = run_scan);

}  // namespace ew
