// Einsum: sums of products over labelled axes. A repeated label within an
// operand reads its diagonal; labels absent from the output are summed.
// Reference loop: the output axes, then the summed axes, walked as one
// odometer with per-operand strides (stride 0 for broadcast size-1 axes).
#include "ops/nn/einsum_equation.h"
#include "ops/nn/node_status.h"

namespace ew {
namespace {

// Size of every label, from the operands' dims; -1 where unknown.
Result<std::vector<int64_t>> label_sizes(const EinsumEquation& eq, const std::vector<std::vector<int64_t>>& dims) {
  std::vector<int64_t> size(eq.num_labels, -1);
  for (size_t k = 0; k < eq.inputs.size(); ++k)
    for (size_t a = 0; a < eq.inputs[k].size(); ++a) {
      int64_t d = dims[k][a];
      int64_t& s = size[eq.inputs[k][a]];
      if (d < 0) continue;
      if (s < 0 || s == 1) s = d;
      else if (d != s && d != 1) return invalid_argument("einsum label sizes differ: " + std::to_string(s) + " vs " + std::to_string(d));
    }
  return size;
}

Status infer_einsum(InferContext& ctx) {
  DType t = ctx.input_type(0).dtype;
  if (t == DType::kBool) return ctx.error("unsupported type bool");
  std::vector<int64_t> ranks;
  std::vector<std::vector<int64_t>> dims;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    const ValueType& v = ctx.input_type(i);
    if (v.dtype != t) return ctx.error("input types differ");
    if (!v.has_shape) { ctx.set_output_dtype_only(0, t); return Status::ok(); }
    ranks.push_back(static_cast<int64_t>(v.dims.size()));
    dims.emplace_back();
    for (const Dim& d : v.dims) dims.back().push_back(d.known() ? d.value : -1);
  }
  EW_NODE_ASSIGN_OR_RETURN(ctx, EinsumEquation eq, parse_einsum(ctx.node().attr_string("equation", ""), ranks));
  EW_NODE_ASSIGN_OR_RETURN(ctx, std::vector<int64_t> size, label_sizes(eq, dims));
  std::vector<Dim> label_dim(eq.num_labels);  // a symbolic dim carries over when no operand knows the size
  for (size_t k = 0; k < eq.inputs.size(); ++k)
    for (size_t a = 0; a < eq.inputs[k].size(); ++a)
      if (label_dim[eq.inputs[k][a]].symbol.empty()) label_dim[eq.inputs[k][a]] = ctx.input_type(static_cast<int>(k)).dims[a];
  std::vector<Dim> out;
  for (int l : eq.output) out.push_back(size[l] >= 0 ? Dim(size[l]) : label_dim[l].known() ? Dim() : label_dim[l]);
  ctx.set_output(0, t, out);
  return Status::ok();
}

struct EinsumLoop {
  std::vector<int64_t> size;                  // per loop axis: output labels, then summed ones
  std::vector<std::vector<int64_t>> strides;  // per operand (last: the output), per loop axis
};

EinsumLoop make_loop(const EinsumEquation& eq, const std::vector<int64_t>& label_size,
                     const std::vector<const Tensor*>& ins) {
  std::vector<int> order = eq.output;
  std::vector<bool> in_out(eq.num_labels, false);
  for (int l : eq.output) in_out[l] = true;
  for (int l = 0; l < eq.num_labels; ++l)
    if (!in_out[l] && label_size[l] >= 0) order.push_back(l);
  EinsumLoop loop;
  for (int l : order) loop.size.push_back(label_size[l]);
  std::vector<int> pos(eq.num_labels, -1);
  for (size_t i = 0; i < order.size(); ++i) pos[order[i]] = static_cast<int>(i);
  for (size_t k = 0; k <= ins.size(); ++k) {
    std::vector<int64_t> st(order.size(), 0);
    const std::vector<int>& labels = k < ins.size() ? eq.inputs[k] : eq.output;
    int64_t s = 1;
    for (int64_t a = static_cast<int64_t>(labels.size()) - 1; a >= 0; --a) {
      int64_t d = k < ins.size() ? ins[k]->dim(a) : label_size[labels[a]];
      if (d != 1) st[pos[labels[a]]] += s;
      s *= d;
    }
    loop.strides.push_back(std::move(st));
  }
  return loop;
}

template <typename T>
void einsum_typed(const EinsumLoop& loop, const std::vector<const Tensor*>& ins, Tensor& y) {
  using C = compute_t<T>;
  const size_t nops = ins.size(), rank = loop.size.size();
  std::vector<C> acc(static_cast<size_t>(y.numel()), C(0));
  int64_t total = 1;
  for (int64_t s : loop.size) total *= s;
  if (total > 0) {
    std::vector<const T*> data;
    for (const Tensor* t : ins) data.push_back(t->data<T>());
    std::vector<int64_t> idx(rank, 0), off(nops + 1, 0);
    const int64_t inner = rank ? loop.size[rank - 1] : 1;
    for (int64_t done = 0; done < total; done += inner) {
      for (int64_t j = 0; j < inner; ++j) {
        C p = C(1);
        for (size_t k = 0; k < nops; ++k) p *= C(data[k][off[k] + j * (rank ? loop.strides[k][rank - 1] : 0)]);
        acc[off[nops] + j * (rank ? loop.strides[nops][rank - 1] : 0)] += p;
      }
      for (int64_t a = static_cast<int64_t>(rank) - 2; a >= 0; --a) {
        for (size_t k = 0; k <= nops; ++k) off[k] += loop.strides[k][a];
        if (++idx[a] < loop.size[a]) break;
        for (size_t k = 0; k <= nops; ++k) off[k] -= loop.strides[k][a] * loop.size[a];
        idx[a] = 0;
      }
    }
  }
  T* out = y.data<T>();
  for (int64_t i = 0; i < y.numel(); ++i) out[i] = T(acc[i]);
}

Status run_einsum(KernelContext& ctx) {
  std::vector<const Tensor*> ins;
  std::vector<int64_t> ranks;
  std::vector<std::vector<int64_t>> dims;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) return ctx.error("missing input " + std::to_string(i));
    ins.push_back(&ctx.input(i));
    ranks.push_back(ctx.input(i).rank());
    dims.push_back(ctx.input(i).shape());
  }
  if (ins.empty()) return ctx.error("Einsum needs at least one input");
  EW_NODE_ASSIGN_OR_RETURN(ctx, EinsumEquation eq, parse_einsum(ctx.node().attr_string("equation", ""), ranks));
  EW_NODE_ASSIGN_OR_RETURN(ctx, std::vector<int64_t> size, label_sizes(eq, dims));
  EinsumLoop loop = make_loop(eq, size, ins);
  int64_t total = 1;
  for (int64_t d : loop.size)
    if (__builtin_mul_overflow(total, d, &total)) return ctx.error("einsum iteration count overflows");
  bool ok = false;
  visit_dtype(ins[0]->dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      einsum_typed<T>(loop, ins, ctx.output(0));
      ok = true;
    }
  });
  return ok ? Status::ok() : ctx.error(std::string("unsupported type ") + dtype_name(ins[0]->dtype()));
}

}  // namespace

EW_REGISTER_OP(.op_type = "Einsum", .infer = infer_einsum, .run = run_einsum);

}  // namespace ew
